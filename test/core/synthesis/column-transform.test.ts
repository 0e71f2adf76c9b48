import { Rng } from '../../../core/rng';
import { modelLayout } from '../../../core/synthesis/column-spec';
import { decodeRows, encodeRows, fromNormal, profileColumns, snapRows, toNormal } from '../../../core/synthesis/column-transform';
import { normalCdf, normalQuantile } from '../../../core/synthesis/normal';
import { meanNormalizedWasserstein } from '../../../core/fidelity/marginals';

/** 3 columns: a category 0..2, a bimodal continuous one, an integer count with many values. */
function mixed(n: number, seed = 1): Float32Array {
  const rng = new Rng(seed);
  const v = new Float32Array(n * 3);
  for (let r = 0; r < n; r++) {
    v[r * 3] = rng.int(3);
    v[r * 3 + 1] = (rng.next() < 0.3 ? -5 : 5) + rng.normal() * 0.5;
    v[r * 3 + 2] = Math.round(Math.abs(rng.normal() * 30));
  }
  return v;
}

describe('synthesis column transform', () => {
  test('Φ and Φ⁻¹ invert each other and match known values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 4);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    for (const p of [1e-4, 0.01, 0.3, 0.5, 0.9, 0.9999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
  });

  test('profiles discrete, continuous and integer columns, skipping rows with a missing cell', () => {
    const v = mixed(500);
    v[7] = NaN;
    const spec = profileColumns(v, ['cat', 'bimodal', 'count']);
    expect(spec.rows_used + spec.rows_skipped_missing).toBe(500);
    expect(spec.rows_skipped_missing).toBe(1);
    expect(spec.columns.map((c) => c.kind)).toEqual(['discrete', 'continuous', 'continuous']);
    const [cat, , count] = spec.columns;
    expect(cat!.kind === 'discrete' && cat!.values).toEqual([0, 1, 2]);
    expect(count!.kind === 'continuous' && count!.integer).toBe(true);
    expect(modelLayout(spec)).toMatchObject({ dim: 5, condDim: 3 });
  });

  test('encode → decode returns the rows (within the quantile grid) and keeps types and bounds', () => {
    const v = mixed(2000);
    const spec = profileColumns(v, ['cat', 'bimodal', 'count']);
    const rows = Array.from({ length: 2000 }, (_, i) => i);
    const back = decodeRows(spec, encodeRows(spec, v, rows), 2000, null);
    for (let r = 0; r < 2000; r++) expect(back[r * 3]).toBe(v[r * 3]);
    expect(meanNormalizedWasserstein(v, back, 3)).toBeLessThan(0.02);
    const c = spec.columns[2]!;
    if (c.kind !== 'continuous') throw new Error('count is continuous');
    for (const y of [-40, -2, 0, 3, 40]) {
      const x = fromNormal(c, y);
      expect(Number.isInteger(x)).toBe(true);
      expect(x).toBeGreaterThanOrEqual(c.min);
      expect(x).toBeLessThanOrEqual(c.max);
    }
    // the bimodal column's two modes land on two stretches of the normal, not on one blurred peak
    const b = spec.columns[1]!;
    if (b.kind !== 'continuous') throw new Error('bimodal is continuous');
    expect(toNormal(b, -5)).toBeLessThan(-0.3);
    expect(toNormal(b, 5)).toBeGreaterThan(0.3);
  });

  test('decoding logits draws categories in proportion to their softmax; a pinned column keeps its value', () => {
    const spec = profileColumns(mixed(300), ['cat', 'bimodal', 'count']);
    const n = 6000;
    const model = new Float32Array(n * 5);
    for (let i = 0; i < n; i++) model.set([0, Math.log(3), 0, 0, 0], i * 5);
    const out = decodeRows(spec, model, n, new Rng(2));
    const share = [0, 1, 2].map((k) => out.filter((v, i) => i % 3 === 0 && v === k).length / n);
    expect(share[1]).toBeCloseTo(0.6, 1);
    const pinned = decodeRows(spec, model, 50, new Rng(2), new Map([[0, 2]]));
    for (let i = 0; i < 50; i++) expect(pinned[i * 3]).toBe(2);
  });

  test('snapRows maps free values to seen categories, rounds integers and clamps to the training range', () => {
    const spec = profileColumns(mixed(300), ['cat', 'bimodal', 'count']);
    const c1 = spec.columns[1]!;
    if (c1.kind !== 'continuous') throw new Error('bimodal is continuous');
    const out = snapRows(spec, Float64Array.from([1.4, 1e6, 12.6, -3, -1e6, NaN]));
    expect(out[0]).toBe(1);
    expect(out[1]).toBe(c1.max);
    expect(out[2]).toBe(13);
    expect(out[3]).toBe(0);
    expect(out[4]).toBe(c1.min);
    expect(out[5]).toBeNaN();
  });

  test('a column on a lattice of at most 256 values keeps its support: decoded values are seen values only', () => {
    const rng = new Rng(8);
    // a 2-decimal frequency on 40 steps and a two-valued float flag; a smooth column has no support
    const v = new Float32Array(600 * 3);
    for (let r = 0; r < 600; r++) v.set([Math.fround(rng.int(40) * 0.05), rng.next() < 0.9 ? -0.1 : 10.2, rng.normal()], r * 3);
    const spec = profileColumns(v, ['freq', 'flag', 'smooth']);
    const [freq, flag, smooth] = spec.columns;
    expect(freq!.kind === 'continuous' && freq!.support!.length).toBe(40);
    expect(flag!.kind === 'continuous' && flag!.support).toEqual([Math.fround(-0.1), Math.fround(10.2)]);
    expect(smooth!.kind === 'continuous' && smooth!.support).toBeUndefined();
    const seen = [new Set(Array.from({ length: 600 }, (_, r) => v[r * 3]!)), new Set([Math.fround(-0.1), Math.fround(10.2)])];
    const out = decodeRows(spec, Float32Array.from({ length: 300 * 3 }, () => rng.normal() * 1.5), 300, rng);
    for (let r = 0; r < 300; r++) {
      expect(seen[0]!.has(out[r * 3]!)).toBe(true);
      expect(seen[1]!.has(out[r * 3 + 1]!)).toBe(true);
    }
    const snapped = snapRows(spec, Float64Array.from([0.123, 3, 0.5]));
    expect([snapped[0], snapped[1]]).toEqual([Math.fround(0.1), Math.fround(-0.1)]);
  });
});
