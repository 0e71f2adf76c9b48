import { DriftAccumulator, driftReference, exceedance } from '../../../core/drift';
import { Rng } from '../../../core/rng';
import { calibrateThreshold } from '../../../core/threshold';

/** squared-normal "reconstruction errors", the shape dense-ae scores have */
const scores = (rng: Rng, n: number, scale = 1) => Array.from({ length: n }, () => scale * rng.normal() ** 2);

function scoreRun(threshold: ReturnType<typeof calibrateThreshold>, values: number[], probability?: number) {
  const p = probability === undefined ? null : { threshold: probability };
  const acc = new DriftAccumulator(driftReference({ threshold, probability: p }));
  for (const s of values) acc.push(s, s > threshold.value ? 1 : 0);
  return acc.report();
}

describe('drift against the training calibration', () => {
  const train = calibrateThreshold(scores(new Rng(1), 20_000), 'percentile:99');

  test('data like the training data: PSI near 0, about the expected share flagged, no warning', () => {
    const r = scoreRun(train, scores(new Rng(2), 5000));
    expect(r.rows_scored).toBe(5000);
    expect(r.expected_flagged_share).toBeCloseTo(0.01, 3);
    expect(r.flagged_share!).toBeGreaterThan(0.005);
    expect(r.flagged_share!).toBeLessThan(0.02);
    expect(r.score_psi!).toBeLessThan(0.02);
    expect(r.score_bins.map((b) => b.upto_quantile)).toEqual([0.5, 0.9, 0.95, 0.99, 0.995, 0.999, 1]);
    expect(r.score_bins.reduce((s, b) => s + b.expected_share, 0)).toBeCloseTo(1, 12);
    expect(r.warning).toBeNull();
  });

  test('scores that drifted up (the issue\'s NAB case): MODEL_DRIFT on both the PSI and the flagged share', () => {
    const r = scoreRun(train, scores(new Rng(3), 2000, 4));
    expect(r.score_psi!).toBeGreaterThan(0.25);
    expect(r.flagged_share!).toBeGreaterThan(0.1);
    expect(r.warning).toMatchObject({ code: 'MODEL_DRIFT', reasons: ['SCORE_PSI', 'FLAGGED_SHARE'] });
    expect(r.warning!.message).toMatch(/score PSI \d+\.\d\d; \d+\.\d % of rows flagged, 1\.0 % expected/);
  });

  test('a real anomaly burst in otherwise normal data is not drift', () => {
    const values = scores(new Rng(4), 3000);
    for (let i = 1000; i < 1010; i++) values[i] = 50;
    expect(scoreRun(train, values).warning).toBeNull();
  });

  test('scores that shrank (a quieter process) shift the PSI only', () => {
    const r = scoreRun(train, scores(new Rng(5), 3000, 0.1));
    expect(r.warning?.reasons).toEqual(['SCORE_PSI']);
  });

  test('fewer than 100 scored rows: figures but no verdict; non-finite scores are not counted', () => {
    const values = [...scores(new Rng(6), 99, 10), NaN, Infinity];
    const r = scoreRun(train, values);
    expect(r.rows_scored).toBe(99);
    expect(r.score_psi!).toBeGreaterThan(1);
    expect(r.warning).toBeNull();
    expect(scoreRun(train, []).score_psi).toBeNull();
  });

  test('anomaly_probability: its distribution, and the nominal flagged share 1 − threshold', () => {
    const rng = new Rng(7);
    const acc = new DriftAccumulator(driftReference({ threshold: train, probability: { threshold: 0.99 } }));
    for (let i = 0; i < 10_000; i++) {
      const p = rng.next();
      acc.push(rng.normal() ** 2, p >= 0.99 ? 1 : 0, p);
    }
    const r = acc.report();
    expect(r.expected_flagged_share).toBeCloseTo(0.01, 12);
    expect(r.probability!.rows).toBe(10_000);
    expect(r.probability!.mean).toBeCloseTo(0.5, 1);
    expect(r.probability!.p50).toBeCloseTo(0.5, 1);
    expect(r.probability!.p99).toBeCloseTo(0.99, 2);
    expect(r.probability!.share_at_or_above_threshold!).toBeCloseTo(0.01, 2);
    expect(r.warning).toBeNull();
  });
});

describe('driftReference / exceedance', () => {
  const cal = { n: 10, mean: 1, std: 1, min: 0, max: 10, quantiles: { '0.5': 0, '0.9': 0, '0.95': 2, '0.99': 4, '0.995': 5, '0.999': 8 } };
  const threshold = { value: 4, method: 'percentile' as const, param: 99, calibration: cal };

  test('equal quantiles share one bin (a score that is often exactly 0)', () => {
    const ref = driftReference({ threshold });
    expect(ref.edges).toEqual([0, 2, 4, 5, 8]);
    expect(ref.upto).toEqual([0.9, 0.95, 0.99, 0.995, 0.999, 1]);
    expect(ref.expected.map((e) => Number(e.toFixed(6)))).toEqual([0.9, 0.05, 0.04, 0.005, 0.004, 0.001]);
  });

  test('exceedance interpolates between the quantiles', () => {
    expect(exceedance(cal, 4)).toBeCloseTo(0.01, 12);
    expect(exceedance(cal, 3)).toBeCloseTo(0.03, 12);
    expect(exceedance(cal, 9)).toBeCloseTo(0.0005, 12);
    expect(exceedance(cal, 10)).toBe(0);
    expect(exceedance(cal, -1)).toBe(1);
  });
});
