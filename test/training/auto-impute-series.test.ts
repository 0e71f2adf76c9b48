import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../core/rng';
import { seriesParamsOf } from '../../core/series-impute/params';
import { chooseWeights, weightGrid, type HeldCell } from '../../training/models/auto-impute-series/choose-weights';
import { holdOutGaps } from '../../training/models/auto-impute-series/holdout-gaps';
import { dominantPeriod, linearFilled } from '../../training/models/auto-impute-series/period';
import { trainModel, type TrainResult } from '../../training/train';

/**
 * kind 'auto', task 'impute' with a time column (training/models/auto-impute-series): gap-shaped holdout, period,
 * blend choice, the manifest's imputation.series block, and bad input.
 */
const N = 600;

/** Two columns: a smooth periodic one (period 40 rows) and a copy of it with noise (the cross-column model's case). */
function series(seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(N * 2);
  for (let i = 0; i < N; i++) {
    const a = Math.sin((2 * Math.PI * i) / 40) * 3 + 0.002 * i + 0.05 * rng.normal();
    out[i * 2] = a;
    out[i * 2 + 1] = 2 * a + 0.05 * rng.normal();
  }
  return out;
}

function withGaps(values: Float32Array, seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = values.map((v) => (rng.next() < 0.1 ? NaN : v));
  for (let g = 0; g < 4; g++) {
    const s = 5 + rng.int(N - 40);
    for (let i = s; i < s + 12; i++) out[i * 2] = NaN;
  }
  return out;
}

describe('holdOutGaps', () => {
  it('hides about a tenth of the observed cells, in runs shaped like the column gaps, between observed neighbours', () => {
    const values = withGaps(series(1), 2);
    const h = holdOutGaps(values, 2, new Rng(3));
    let observed = 0;
    for (const v of values) if (Number.isFinite(v)) observed++;
    expect(h.cells).toBeGreaterThan(0.08 * observed);
    expect(h.cells).toBeLessThanOrEqual(Math.round(0.1 * observed) + 2);
    let longest = 0;
    for (let j = 0; j < 2; j++) {
      let run = 0;
      for (let i = 0; i < N; i++) {
        const c = i * 2 + j;
        if (h.held[c]) expect(Number.isFinite(values[c])).toBe(true);
        run = h.held[c] ? run + 1 : 0;
        longest = Math.max(longest, run);
      }
    }
    // the column's own 12-row gaps are among the drawn lengths
    expect(longest).toBeGreaterThanOrEqual(6);
    expect(h.values.filter((v) => Number.isNaN(v)).length).toBe(values.filter((v) => Number.isNaN(v)).length + h.cells);
  });
});

describe('dominantPeriod', () => {
  it('finds the period of a periodic column with gaps and none in white noise', () => {
    const rng = new Rng(4);
    const wave = (i: number) => Math.sin((2 * Math.PI * i) / 50) + 0.1 * rng.normal();
    const col = Float64Array.from({ length: 2000 }, (_, i) => (rng.next() < 0.1 ? NaN : wave(i)));
    expect(dominantPeriod(col)).toBe(50);
    expect(dominantPeriod(Float64Array.from({ length: 2000 }, () => rng.normal()))).toBe(0);
    expect(dominantPeriod(new Float64Array(10).fill(NaN))).toBe(0);
    expect(Array.from(linearFilled([NaN, 1, NaN, 3, NaN])!)).toEqual([1, 1, 2, 3, 3]);
  });
});

describe('chooseWeights', () => {
  it('keeps linear on cells linear fills exactly, takes the model where it is right, and falls back on few cells', () => {
    const cell = (i: number, over: Partial<HeldCell>): HeldCell => ({ linear: i, seasonal: i, model: i, truth: i, cls: 'short', ...over });
    const linearRight = Array.from({ length: 50 }, (_, i) => cell(i, { seasonal: i + 1, model: i - 3 }));
    const c = chooseWeights(linearRight, true);
    expect(c.weights.short).toEqual({ linear: 1, seasonal: 0, model: 0 });
    expect(c.rmse).toBe(0);
    const modelRight = Array.from({ length: 50 }, (_, i) => cell(i, { linear: i + 2, seasonal: i - 2, cls: 'long' }));
    const d = chooseWeights([...linearRight.slice(0, 5), ...modelRight], false);
    expect(d.weights.long).toEqual({ linear: 0, seasonal: 0, model: 1 });
    // 5 short cells (< 20): the column's overall blend; 'open' takes long's
    expect(d.weights.open).toEqual(d.weights.long);
    expect(d.cells).toEqual({ short: 5, long: 50, open: 0 });
    expect(weightGrid(false).every((w) => w.seasonal === 0)).toBe(true);
    expect(weightGrid(true)).toHaveLength(66);
    expect(chooseWeights([], true).std.short).toBeNull();
  });
});

describe('auto imputer along a time column', () => {
  let result: TrainResult;
  const truth = series(5);
  const values = withGaps(truth, 6);
  const times = Float64Array.from({ length: N }, (_, i) => 1.7e12 + 60_000 * i);

  beforeAll(async () => {
    await tf.setBackend('cpu');
    result = await trainModel({
      kind: 'auto', task: 'impute', timeColumn: 't', data: { features: ['a', 'b'], values, times }, backend: 'cpu', progress: 'none',
    });
  });
  afterAll(() => result.zoo.dispose());

  it('records imputation.series: periods, weights per gap class, held-out RMSE below the column mean and no worse than linear', () => {
    const m = result.manifest;
    expect(m.time_column).toBe('t');
    const p = seriesParamsOf(m.imputation, m.features)!;
    expect(p.time_basis).toBe('timestamps');
    expect(p.look_ahead_rows).toBe(256);
    expect(p.columns[0]!.period_rows).toBeGreaterThanOrEqual(39);
    expect(p.columns[0]!.period_rows).toBeLessThanOrEqual(41);
    const cols = (m.imputation!['series'] as { columns: { rmse: number; rmse_linear: number }[] }).columns;
    const tableRmse = m.imputation!.columns.map((c) => c.rmse_mean!);
    cols.forEach((c, j) => {
      expect(c.rmse).toBeLessThanOrEqual(c.rmse_linear + 1e-12);
      expect(c.rmse).toBeLessThan(0.5 * tableRmse[j]!);
    });
    expect(result.onnx).not.toBeNull();
  });

  it('refuses a bad look_ahead, a column with no observed value and a one-row series', async () => {
    const base = { kind: 'auto' as const, task: 'impute' as const, timeColumn: 't', backend: 'cpu' as const, progress: 'none' as const };
    await expect(trainModel({ ...base, data: { features: ['a', 'b'], values, times }, modelConfig: { look_ahead: 0 } }))
      .rejects.toThrow(/look_ahead must be an integer/);
    const empty = values.map((v, i) => (i % 2 === 1 ? NaN : v));
    await expect(trainModel({ ...base, data: { features: ['a', 'b'], values: empty, times } })).rejects.toThrow(/'b'/);
    await expect(trainModel({ ...base, data: { features: ['a', 'b'], values: values.slice(0, 2), times: times.slice(0, 1) } }))
      .rejects.toThrow(/at least 3 training rows/);
  });
});
