import { calibrateThreshold } from '../../../core/threshold';
import { Rng } from '../../../core/rng';
import {
  createProbabilityModel, probabilitySpecFor, tailSpecFromCalibration, tailSpecFromScores, type ProbabilitySpec,
} from '../../../core/probability';

/** Scores a model might give: a skewed bulk (squared normals) and a few large ones. */
function scores(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    out[i] = z * z + (i % 97 === 0 ? 10 * rng.next() : 0);
  }
  return out;
}

/** Probes around a score threshold v: v itself, the float32 neighbours, a sweep over the range. */
function probes(v: number, max: number): Float32Array {
  const around: number[] = [v, Math.fround(v)];
  const f = new Float32Array([Math.fround(v)]);
  const bits = new Uint32Array(f.buffer);
  for (let d = -3; d <= 3; d++) {
    const g = new Uint32Array([bits[0]! + d]);
    around.push(new Float32Array(g.buffer)[0]!);
  }
  for (let i = 0; i <= 4000; i++) around.push((i / 4000) * max * 1.5 - 0.1);
  return Float32Array.from(around);
}

describe('probability method tail', () => {
  const train = scores(2000, 7);
  const fresh = scores(5000, 8);

  test.each(['percentile:99.5', 'percentile:90', 'sigma:3', 'pot:1e-3', 'pot:1e-2'])(
    'is_anomaly = probability >= threshold flags exactly the scores above the %s score threshold',
    (rule) => {
      const threshold = calibrateThreshold(train, rule);
      const v = threshold.value;
      for (const spec of [tailSpecFromScores(train, v), tailSpecFromCalibration(threshold)]) {
        expect(spec.threshold).toBeGreaterThan(0);
        expect(spec.threshold).toBeLessThan(1);
        const s = Float32Array.from([...fresh, ...probes(v, threshold.calibration.max)]);
        const p = createProbabilityModel(spec).push(s);
        let disagree = 0;
        for (let i = 0; i < s.length; i++) if ((p[i]! >= spec.threshold) !== (s[i]! > v)) disagree++;
        expect(disagree).toBe(0);
        // some of both, so the test can fail
        expect(s.some((x) => x > v) && s.some((x) => x <= v)).toBe(true);
      }
    },
  );

  test('probabilities are in [0, 1], non-decreasing in the score, and about the calibration CDF', () => {
    const threshold = calibrateThreshold(train, 'percentile:99.5');
    const spec = tailSpecFromScores(train, threshold.value);
    const sorted = Float32Array.from(fresh).sort();
    const p = createProbabilityModel(spec).push(sorted);
    for (let i = 0; i < p.length; i++) {
      expect(p[i]).toBeGreaterThanOrEqual(0);
      expect(p[i]).toBeLessThanOrEqual(1);
      if (i > 0) expect(p[i]).toBeGreaterThanOrEqual(p[i - 1]!);
    }
    // fresh scores from the same distribution: their probabilities are about uniform (median near 0.5)
    const median = Float32Array.from(p).sort()[p.length >> 1]!;
    expect(Math.abs(median - 0.5)).toBeLessThan(0.05);
    // the threshold sits at the percentile it was calibrated at
    expect(spec.threshold).toBeCloseTo(0.995, 2);
  });

  test('a missing score (NaN) has no probability; pieces give the output of the whole', () => {
    const spec = tailSpecFromScores(train, calibrateThreshold(train, 'pot:1e-3').value);
    const s = Float32Array.from([1, NaN, 2, 30, NaN, 0.5]);
    const whole = createProbabilityModel(spec).push(s);
    expect(Number.isNaN(whole[1]!) && Number.isNaN(whole[4]!)).toBe(true);
    expect(Number.isNaN(whole[0]!)).toBe(false);
    const m = createProbabilityModel(spec);
    const pieces = [...m.push(s.subarray(0, 2)), ...createProbabilityModel(spec, m.snapshot()).push(s.subarray(2))];
    expect(pieces).toEqual([...whole]);
  });

  test('a manifest without a probability block gets the tail of its threshold calibration', () => {
    const threshold = calibrateThreshold(train, 'pot:1e-3');
    const spec = probabilitySpecFor({ threshold });
    expect(spec).toEqual(tailSpecFromCalibration(threshold));
    expect(spec.method).toBe('tail');
    const own: ProbabilitySpec = { method: 'tail', threshold: 0.5, params: { score_threshold: 1, knots: [], levels: [], tail: null } };
    expect(probabilitySpecFor({ threshold, probability: own })).toBe(own);
  });

  test('an empty calibration: probability 1 above the score threshold, 0 at or below', () => {
    const calibration = { n: 0, mean: 0, std: 0, min: 0, max: 0, quantiles: {} };
    const threshold = { value: 2, method: 'sigma' as const, param: 3, calibration };
    const spec = tailSpecFromCalibration(threshold);
    expect([...createProbabilityModel(spec).push(Float32Array.from([1, 2, 2.5]))]).toEqual([0, 0, 1]);
  });

  test('unknown methods and malformed params are manifest errors', () => {
    expect(() => createProbabilityModel({ method: 'nope', threshold: 0.5, params: {} })).toThrow(/unknown probability method 'nope'/);
    expect(() => createProbabilityModel({ method: 'tail', threshold: 0.5, params: { knots: [1] } })).toThrow(/malformed/);
  });
});
