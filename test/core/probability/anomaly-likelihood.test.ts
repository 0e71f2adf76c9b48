import { AnomalyLikelihood, erfc, likelihoodParams } from '../../../core/probability/anomaly-likelihood';
import type { ProbabilitySpec } from '../../../core/probability/probability-model';
import { ManifestError } from '../../../core/errors';
import { Rng } from '../../../core/rng';

/** The anomaly likelihood: causal (pieces = whole), exact snapshots, NaN handling, drift, refractory period. */
const spec: ProbabilitySpec = {
  method: 'anomaly-likelihood', threshold: 0.5,
  params: { short: 5, long: 300, prior_mean: 1, prior_var: 0.04, prior_weight: 20, refractory: 10 },
};

function noisyScores(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const s = Float32Array.from({ length: n }, () => Math.abs(1 + 0.2 * rng.normal()));
  for (let i = 0; i < n; i += 97) s[i] = NaN;
  for (let i = 700; i < 705; i++) s[i] = 12;
  return s;
}

describe('AnomalyLikelihood', () => {
  const scores = noisyScores(1500, 7);
  const whole = new AnomalyLikelihood(spec).push(scores);

  it('gives the same probabilities pushed in pieces of any size as pushed whole', () => {
    for (const cut of [1, 7, 333]) {
      const m = new AnomalyLikelihood(spec);
      const parts: number[] = [];
      for (let i = 0; i < scores.length; i += cut) parts.push(...m.push(scores.subarray(i, i + cut)));
      expect(Float32Array.from(parts)).toEqual(whole);
    }
  });

  it('resumes exactly from a snapshot that went through JSON', () => {
    const first = new AnomalyLikelihood(spec);
    const a = first.push(scores.subarray(0, 703));
    const resumed = new AnomalyLikelihood(spec, JSON.parse(JSON.stringify(first.snapshot())));
    const b = resumed.push(scores.subarray(703));
    expect(Float32Array.from([...a, ...b])).toEqual(whole);
    expect(resumed.snapshot()).toEqual(JSON.parse(JSON.stringify(resumed.snapshot())));
  });

  it('maps NaN to NaN without changing its state, and every other row into [0, 1]', () => {
    scores.forEach((s, i) => {
      if (Number.isNaN(s)) expect(whole[i]).toBeNaN();
      else expect(whole[i]! >= 0 && whole[i]! <= 1).toBe(true);
    });
    const m = new AnomalyLikelihood(spec);
    m.push(scores.subarray(0, 50));
    const before = JSON.stringify(m.snapshot());
    expect([...m.push(Float32Array.of(NaN, NaN))].every(Number.isNaN)).toBe(true);
    expect(JSON.stringify(m.snapshot())).toBe(before);
  });

  it('flags a burst once, then stays quiet for the refractory rows', () => {
    const alarms = [...whole].flatMap((p, i) => (p >= spec.threshold ? [i] : []));
    expect(alarms).toContain(700);
    expect(alarms.filter((i) => i > 700 && i <= 710)).toEqual([]);
    expect(alarms.filter((i) => i < 690 || i > 760)).toEqual([]);
  });

  it('adapts to a level shift of the scores: alarms at the shift, none once it is the new normal', () => {
    const rng = new Rng(3);
    const shifted = Float32Array.from({ length: 6000 }, (_, i) => (i < 1000 ? 1 : 3) + 0.2 * Math.abs(rng.normal()));
    const p = new AnomalyLikelihood(spec).push(shifted);
    expect(Math.max(...p.subarray(1000, 1020))).toBeGreaterThanOrEqual(0.5);
    expect([...p.subarray(3000)].filter((v) => v >= 0.5).length).toBeLessThanOrEqual(6);
  });

  it('gives a constant score history a low probability (no alarms)', () => {
    const p = new AnomalyLikelihood({ ...spec, params: { ...spec.params, prior_mean: 0, prior_var: 0 } }).push(new Float32Array(500));
    expect(Math.max(...p)).toBeLessThan(0.1);
  });

  it('refuses bad parameters and foreign state, naming what is wrong', () => {
    expect(() => likelihoodParams({ short: 0 })).toThrow(/'short'/);
    expect(() => likelihoodParams({ long: 'x' })).toThrow(/'long'/);
    expect(() => new AnomalyLikelihood(spec, { n: 1 })).toThrow(/not a snapshot/);
    expect(() => likelihoodParams({ short: 0 })).toThrow(ManifestError);
  });

  it('uses an erfc accurate to 5e-6 relative, 3e-7 in the tail', () => {
    expect(Math.abs(erfc(0) - 1)).toBeLessThan(5e-6);
    for (const [x, v] of [[1, 0.157299207050285], [3, 2.209049699858544e-5], [5, 1.537459794428035e-12]] as const)
      expect(Math.abs(erfc(x) - v) / v).toBeLessThan(3e-7);
    expect(Math.abs(erfc(-1) - 1.842700792949715)).toBeLessThan(1e-7);
  });
});
