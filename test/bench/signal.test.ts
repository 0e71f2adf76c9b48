import { corruptBeats, movingAverage, noisyPairs, rmse, snrDb } from '../../bench/quality/signal';

describe('signal metrics', () => {
  it('gives 20 dB SNR when the error is a tenth of the signal amplitude', () => {
    const clean = [1, -1, 1, -1];
    expect(snrDb(clean, clean.map((v) => v * 1.1))).toBeCloseTo(20, 9);
  });

  it('computes the RMSE over all samples', () => {
    expect(rmse([0, 0, 0, 0], [1, -1, 1, -1])).toBe(1);
  });

  it('averages a centered window that shrinks at the ends', () => {
    expect(Array.from(movingAverage([1, 2, 3, 4, 5], 3))).toEqual([1.5, 2, 3, 4, 4.5]);
  });

  it('rejects an even moving-average width, naming it', () => {
    expect(() => movingAverage([1, 2], 4)).toThrow(/width must be an odd positive integer, got 4/);
  });
});

describe('corruptBeats', () => {
  const length = 200;
  const clean = Float64Array.from({ length: 50 * length }, (_, i) => Math.sin((2 * Math.PI * i) / 20));

  it('adds white noise at the requested SNR when there is no wander', () => {
    const noisy = corruptBeats(clean, length, 1, { snrDb: 5, wanderAmplitude: [0, 0] });
    expect(snrDb(clean, noisy)).toBeCloseTo(5, 0);
  });

  it('is reproducible for a seed and differs across seeds', () => {
    expect(corruptBeats(clean, length, 3)).toEqual(corruptBeats(clean, length, 3));
    expect(corruptBeats(clean, length, 3)).not.toEqual(corruptBeats(clean, length, 4));
  });

  it('lowers the SNR further when baseline wander is added', () => {
    const noiseOnly = snrDb(clean, corruptBeats(clean, length, 1, { wanderAmplitude: [0, 0] }));
    expect(snrDb(clean, corruptBeats(clean, length, 1))).toBeLessThan(noiseOnly - 0.5);
  });
});

describe('noisyPairs', () => {
  const clean = Float64Array.from({ length: 3 * 20 }, (_, i) => Math.sin(i / 3));
  it('repeats the clean beats as target and corrupts each copy with its own seed', () => {
    const p = noisyPairs(clean, 20, 2, 7);
    expect(Array.from(p.target)).toEqual([...clean, ...clean]);
    expect(Array.from(p.input.subarray(0, 60))).toEqual(Array.from(corruptBeats(clean, 20, 7)));
    expect(Array.from(p.input.subarray(60))).toEqual(Array.from(corruptBeats(clean, 20, 8)));
  });
});
