import { Rng } from '../../../core/rng';
import { encodeRows, profileColumns } from '../../../core/synthesis/column-transform';
import { CondSampler } from '../../../training/gan/cond-sampler';

// columns: a continuous value, a 3-category class, a 2-category flag
const rows = 60;
const raw = new Float32Array(rows * 3);
for (let r = 0; r < rows; r++) raw.set([r * 0.37, r % 3, r % 2], r * 3);
const spec = profileColumns(raw, ['v', 'cls', 'flag']);
const order = Array.from({ length: rows }, (_, i) => i);

describe('CondSampler.mismatch (the critic’s real rows with a wrong category)', () => {
  test('the named column moves to another category in both the row and its cond; everything else is kept', () => {
    const sampler = new CondSampler(spec, raw, order);
    const { dim, condDim, spans } = sampler.layout;
    const encoded = encodeRows(spec, raw, order);
    const rng = new Rng(3);
    const { cond, pick } = sampler.train(200, rows, rng);
    const x = new Float32Array(200 * dim);
    for (let i = 0; i < 200; i++) x.set(encoded.subarray(pick[i]! * dim, (pick[i]! + 1) * dim), i * dim);
    const w = sampler.mismatch(x, cond, 200, rng);
    const hot = (v: Float32Array, at: number, size: number): number => Array.from(v.subarray(at, at + size)).indexOf(1);
    let moved = 0;
    for (let i = 0; i < 200; i++) {
      const named = spans.filter((s) => s.kind === 'discrete' && hot(cond, i * condDim + s.condStart, s.size) >= 0);
      expect(named).toHaveLength(1);
      const s = named[0]!;
      const k = hot(cond, i * condDim + s.condStart, s.size);
      // the real row holds the cond's category; the mismatched one holds another, in its one-hot and its cond alike
      expect(hot(x, i * dim + s.start, s.size)).toBe(k);
      const k2 = hot(w.cond, i * condDim + s.condStart, s.size);
      expect(k2).not.toBe(k);
      expect(hot(w.x, i * dim + s.start, s.size)).toBe(k2);
      expect(w.cond.subarray(i * condDim, (i + 1) * condDim).reduce((a, b) => a + b, 0)).toBe(1);
      for (const o of spans) {
        if (o === s) continue;
        expect(Array.from(w.x.subarray(i * dim + o.start, i * dim + o.start + o.size)))
          .toEqual(Array.from(x.subarray(i * dim + o.start, i * dim + o.start + o.size)));
      }
      moved++;
    }
    expect(moved).toBe(200);
    // the inputs are left as they were
    expect(Array.from(x.subarray(0, dim))).toEqual(Array.from(encoded.subarray(pick[0]! * dim, (pick[0]! + 1) * dim)));
  });
});
