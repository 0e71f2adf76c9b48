import { GAP_ROWS, linearInTime, normalisedRmse, seasonalNaive, seriesMask } from '../../bench/quality/series-gaps';

/** The series benchmark's protocol pieces: the seeded mask, the two baselines and the normalised RMSE. */
describe('series-gaps', () => {
  it('hides about 10 % of the cells plus 5 runs of 24 rows per column, the same for the same seed', () => {
    const n = 2000;
    const m = seriesMask(n, 2, 7);
    expect(Array.from(seriesMask(n, 2, 7))).toEqual(Array.from(m));
    expect(Array.from(seriesMask(n, 2, 8))).not.toEqual(Array.from(m));
    for (let j = 0; j < 2; j++) {
      let hidden = 0;
      let longest = 0;
      let run = 0;
      for (let i = 0; i < n; i++) {
        hidden += m[i * 2 + j]!;
        run = m[i * 2 + j] ? run + 1 : 0;
        longest = Math.max(longest, run);
      }
      expect(hidden / n).toBeGreaterThan(0.1);
      expect(hidden / n).toBeLessThan(0.2);
      expect(longest).toBeGreaterThanOrEqual(GAP_ROWS);
    }
  });

  it('linear interpolation uses the times; ends take the nearest observed value', () => {
    const values = Float64Array.from([0, 99, 10, 99]);
    const mask = Uint8Array.from([0, 1, 0, 1]);
    const out = linearInTime(values, mask, Float64Array.from([0, 1, 10, 11]), 1);
    expect(Array.from(out)).toEqual([0, 1, 10, 10]);
  });

  it('the seasonal baseline restores a periodic series; normalised RMSE is 0 for a perfect fill', () => {
    const n = 400;
    const truth = Float64Array.from({ length: n }, (_, i) => [0, 5, 1, 7, 2][i % 5]! + Math.sin(i / 3));
    const periodic = Float64Array.from({ length: n }, (_, i) => [0, 5, 1, 7, 2, 4, 3, 9][i % 8]!);
    const mask = new Uint8Array(n);
    for (let i = 20; i < n; i += 17) mask[i] = 1;
    const times = Float64Array.from({ length: n }, (_, i) => i);
    expect(normalisedRmse(periodic, seasonalNaive(periodic, mask, times, 1), mask, 1)).toBe(0);
    const lin = normalisedRmse(truth, linearInTime(truth, mask, times, 1), mask, 1);
    expect(lin).toBeGreaterThan(0);
    expect(normalisedRmse(truth, truth, mask, 1)).toBe(0);
  });
});
