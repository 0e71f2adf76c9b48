import fc from 'fast-check';
import { formatFloat32 } from '../../core/io';
import { TopFeatures } from '../../scoring/top-features';

/** The selection score-table used before TopFeatures (commit aeda22a): the oracle for ties, NaN and k >= f. */
function referenceTop(errors: Float32Array, row: number, f: number, k: number): number[] {
  const best: number[] = [];
  for (let j = 0; j < f; j++) {
    const e = errors[row * f + j]!;
    if (best.length < k || e > errors[row * f + best[best.length - 1]!]!) {
      let i = Math.min(best.length, k - 1);
      best[i] = j;
      while (i > 0 && errors[row * f + best[i - 1]!]! < e) {
        best[i] = best[i - 1]!;
        best[i - 1] = j;
        i--;
      }
    }
  }
  return best;
}

describe('TopFeatures', () => {
  test('names and errors a row\'s largest feature errors, largest first', () => {
    const top = new TopFeatures(['a', 'b', 'c', 'd'], 2);
    top.select(Float32Array.of(9, 9, 0.5, 3, 0.25, 0.1, 0.75, 0), 4, 4);
    expect([top.names(), top.errors()]).toEqual(['c;a', '0.75;0.25']);
    top.select(Float32Array.of(1, 1, 1, 1), 0, 4);
    expect(top.names()).toBe('a;b'); // ties keep the earlier feature first
  });

  test('gives the same cells as the old selection for any errors (ties, NaN, ±0, Infinity) and any k', () => {
    const value = fc.oneof(
      fc.float(),
      fc.constantFrom(0, -0, 1, 1, 2, NaN, Infinity, -Infinity),
    );
    fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 2 }),
      (row, kWanted, at) => {
        const f = row.length;
        const k = Math.min(kWanted, f);
        const errors = new Float32Array((at + 1) * f);
        errors.set(row, at * f);
        const names = row.map((_, j) => `f${j}`);
        const want = referenceTop(errors, at, f, k);
        const top = new TopFeatures(names, k);
        top.select(errors, at * f, f);
        expect(top.names()).toBe(want.map((j) => names[j]).join(';'));
        expect(top.errors()).toBe(want.map((j) => formatFloat32(errors[at * f + j]!)).join(';'));
      }), { numRuns: 5000 });
  });
});
