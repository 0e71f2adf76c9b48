import { SeriesGapFiller, type FilledRows } from '../../../core/series-impute/gap-filler';
import { seriesParamsOf, type GapWeights, type SeriesImputeParams } from '../../../core/series-impute/params';

/**
 * The time-aware fill (core/series-impute/gap-filler.ts): interpolation in time (not rows), the look-ahead and its
 * one-sided fallback, the ends of an object, a column with nothing observed, the seasonal fill, the sd of a filled
 * cell, and outputs that do not depend on how the rows were split into pushes.
 */
const W = (linear: number, seasonal: number, model: number): GapWeights => ({ linear, seasonal, model });

function params(over: Partial<SeriesImputeParams> = {}, weights = W(1, 0, 0), period = 0, f = 1): SeriesImputeParams {
  return {
    look_ahead_rows: 8, short_gap_rows: 3, time_basis: 'timestamps',
    columns: Array.from({ length: f }, (_, j) => ({
      name: `c${j}`, period_rows: period, weights: { short: weights, long: weights, open: weights },
      std: { short: 0.5, long: 1.5, open: 2.5 },
    })),
    ...over,
  };
}

function run(p: SeriesImputeParams, values: number[], times?: number[], model?: number[], chunk = values.length): FilledRows {
  const f = p.columns.length;
  const n = values.length / f;
  const t = times ?? Array.from({ length: n }, (_, i) => i);
  const m = model ?? values.map(() => 100);
  const filler = new SeriesGapFiller(p);
  const parts: FilledRows[] = [];
  for (let r = 0; r < n; r += chunk) {
    const e = Math.min(n, r + chunk);
    parts.push(filler.push(values.slice(r * f, e * f), m.slice(r * f, e * f), null, t.slice(r, e), e - r));
  }
  parts.push(filler.flush());
  const value = Float32Array.from(parts.flatMap((x) => Array.from(x.value)));
  const std = Float32Array.from(parts.flatMap((x) => Array.from(x.std)));
  return { rows: parts.reduce((a, x) => a + x.rows, 0), value, std };
}

describe('SeriesGapFiller', () => {
  it('interpolates along the timestamps, not the row numbers', () => {
    const out = run(params(), [0, NaN, 10], [0, 1, 10]);
    expect(out.rows).toBe(3);
    expect(out.value[1]).toBeCloseTo(1, 5);
  });

  it('keeps observed cells as given and gives filled cells their gap class sd', () => {
    const out = run(params(), [3, NaN, 5, NaN, NaN, NaN, NaN, NaN, 11]);
    expect(Array.from(out.value)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(Number.isNaN(out.std[0]!)).toBe(true);
    expect(out.std[1]).toBe(0.5);
    // a run of 5 rows > short_gap_rows 3: long
    expect(out.std[3]).toBe(1.5);
  });

  it('gives the same rows whatever the pushes (1-row, 3-row and one push)', () => {
    const values = [1, NaN, NaN, 4, NaN, 6, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, 2, NaN, 7];
    const whole = run(params({}, W(0.5, 0.3, 0.2), 4), values);
    for (const chunk of [1, 3]) {
      const split = run(params({}, W(0.5, 0.3, 0.2), 4), values, undefined, undefined, chunk);
      expect(Array.from(split.value)).toEqual(Array.from(whole.value));
    }
  });

  it('beyond the look-ahead, and at the end of an object, holds the last observed value (open gap)', () => {
    // 10 missing rows then an observed one: for the first missing rows the next value lies beyond look_ahead_rows 8
    const values = [5, ...Array(10).fill(NaN), 20, NaN, NaN];
    const out = run(params(), values);
    expect(out.value[1]).toBe(5);
    expect(out.std[1]).toBe(2.5);
    // row 3: row 11 is 8 rows ahead, within the look-ahead: interpolated
    expect(out.value[3]).toBeCloseTo(5 + (15 * 3) / 11, 4);
    expect(out.value[12]).toBe(20);
    expect(out.value[13]).toBe(20);
  });

  it('at the start of an object takes the next observed value; with nothing observed, the model fill', () => {
    expect(Array.from(run(params(), [NaN, NaN, 7, 8]).value)).toEqual([7, 7, 7, 8]);
    expect(Array.from(run(params(), [NaN, NaN, NaN], undefined, [1, 2, 3]).value)).toEqual([1, 2, 3]);
  });

  it('the seasonal fill repeats the period, shifted by the residuals at the gap edges', () => {
    const period = 5;
    const shape = [0, 3, 9, 3, 0];
    const truth = Array.from({ length: 30 }, (_, i) => shape[i % period]! + 0.1 * i);
    const values = truth.map((v, i) => (i >= 16 && i <= 18 ? NaN : v));
    const out = run(params({}, W(0, 1, 0), period), values);
    for (const i of [16, 17, 18]) expect(out.value[i]).toBeCloseTo(truth[i]!, 4);
    const linear = run(params({}, W(1, 0, 0), period), values);
    expect(Math.abs(linear.value[17]! - truth[17]!)).toBeGreaterThan(1);
  });

  it('blends the model fill by its weight', () => {
    const out = run(params({}, W(0.5, 0, 0.5)), [0, NaN, 2], undefined, [9, 9, 9]);
    expect(out.value[1]).toBeCloseTo(0.5 * 1 + 0.5 * 9, 5);
  });

  it('fills each column on its own (two columns, different gaps)', () => {
    const out = run(params({}, W(1, 0, 0), 0, 2), [0, 10, NaN, 20, 2, NaN, 3, 40]);
    expect(Array.from(out.value)).toEqual([0, 10, 1, 20, 2, 30, 3, 40]);
  });
});

describe('seriesParamsOf', () => {
  it('reads a valid block, returns null without one, and refuses weights that do not sum to 1 or other columns', () => {
    const p = params();
    expect(seriesParamsOf({ series: p }, ['c0'])).toMatchObject({ look_ahead_rows: 8 });
    expect(seriesParamsOf({ columns: [] }, ['c0'])).toBeNull();
    expect(() => seriesParamsOf({ series: p }, ['other'])).toThrow(/name the model features/);
    const bad = params({}, W(0.5, 0, 0.2));
    expect(() => seriesParamsOf({ series: bad }, ['c0'])).toThrow(/sum to 1/);
  });
});
