import { ManifestError } from '../errors';
import { fitGpd } from '../gpd';
import type { ThresholdInfo } from '../manifest';
import { quantileSorted } from '../threshold';
import type { ProbabilityModel, ProbabilitySpec } from './probability-model';

/**
 * Method `tail`: the calibrated tail probability of a raw score against the training calibration scores,
 * F(s) = P(calibration score <= s): the empirical CDF (piecewise linear between quantile knots) up to the
 * tail level u, and beyond it a generalized Pareto fit of the excesses over t = the u-quantile (the POT tail of
 * core/threshold.ts): F(s) = 1 − (1 − u)·(1 + γ(s − t)/σ)^(−1/γ). Static (no state): the same score always
 * gives the same probability, in any model and series.
 *
 * The score threshold is a knot: a score above it gets at least the probability threshold, a score at or
 * below it less (the value is moved only within float32 rounding of the threshold), so
 * `is_anomaly` = anomaly_probability >= threshold flags exactly the rows anomaly_score > score threshold flags.
 */
export interface TailParams {
  /** the manifest's threshold.value: scores above it are anomalies */
  score_threshold: number;
  /** ascending scores and their CDF levels; empty = no calibration (the probability is then 1 above the threshold, else 0) */
  knots: number[];
  levels: number[];
  /** the GPD tail beyond knot `t` (level `level`), or null (the CDF ends at the last knot) */
  tail: { level: number; t: number; gamma: number; sigma: number } | null;
}

const LOWEST = 2 ** -24;
const HIGHEST = 1 - 2 ** -24;

export class TailProbability implements ProbabilityModel {
  private readonly p: TailParams;
  private readonly threshold: number;
  private readonly below: number;

  constructor(spec: ProbabilitySpec) {
    this.p = checkParams(spec.params);
    this.threshold = Math.fround(spec.threshold);
    this.below = prevFloat32(this.threshold);
  }

  push(scores: Float32Array): Float32Array {
    const out = new Float32Array(scores.length);
    const v = this.p.score_threshold;
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i]!;
      if (Number.isNaN(s)) {
        out[i] = NaN;
        continue;
      }
      const f = Math.fround(tailCdf(this.p, s));
      out[i] = s > v ? Math.max(f, this.threshold) : Math.min(f, this.below);
    }
    return out;
  }

  snapshot(): unknown {
    return null;
  }
}

/** F(s) of the parameters, in float64. */
export function tailCdf(p: TailParams, s: number): number {
  const { knots, levels, tail } = p;
  if (knots.length === 0) return s > p.score_threshold ? 1 : 0;
  if (tail !== null && s > tail.t) {
    const y = s - tail.t;
    const base = 1 + (tail.gamma * y) / tail.sigma;
    const survival = Math.abs(tail.gamma) < 1e-9 ? Math.exp(-y / tail.sigma) : base <= 0 ? 0 : Math.pow(base, -1 / tail.gamma);
    return 1 - (1 - tail.level) * survival;
  }
  if (s < knots[0]!) return 0;
  const last = knots.length - 1;
  if (s >= knots[last]!) return levels[last]!;
  // the last knot at or below s (binary search), then linear to the next one
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (knots[mid]! <= s) lo = mid;
    else hi = mid;
  }
  const [k0, k1] = [knots[lo]!, knots[hi]!];
  return k1 > k0 ? levels[lo]! + ((s - k0) / (k1 - k0)) * (levels[hi]! - levels[lo]!) : levels[hi]!;
}

/** The `tail` spec of training calibration scores (finite ones) and the score threshold chosen on them. */
export function tailSpecFromScores(scores: ArrayLike<number>, scoreThreshold: number): ProbabilitySpec {
  const sorted = Float64Array.from(Array.from(scores).filter(Number.isFinite)).sort();
  const n = sorted.length;
  if (n < 2 || sorted[0] === sorted[n - 1]) return specOf({ score_threshold: scoreThreshold, knots: [], levels: [], tail: null });
  // the tail starts where core/threshold.ts's POT starts: the 98 % quantile, lower for small samples
  const u = Math.max(0.5, Math.min(0.98, 1 - 10 / n));
  const t = quantileSorted(sorted, u);
  const excesses: number[] = [];
  for (const s of sorted) if (s > t) excesses.push(s - t);
  const levels: number[] = [];
  if (excesses.length >= 3) {
    for (let i = 0; i < 100 * u; i++) levels.push(i / 100);
    levels.push(u);
  } else {
    for (let i = 0; i <= 100; i++) levels.push(i / 100);
  }
  const knots = levels.map((l) => quantileSorted(sorted, l));
  const tail = excesses.length >= 3 ? { level: u, t, ...pick(fitGpd(excesses)) } : null;
  return specOf({ score_threshold: scoreThreshold, knots, levels, tail });
}

/**
 * The `tail` spec of a manifest without a `probability` block (models trained before it existed): knots at
 * threshold.calibration's min, reported quantiles and max, and its POT tail when the threshold method was pot.
 */
export function tailSpecFromCalibration(threshold: ThresholdInfo): ProbabilitySpec {
  const c = threshold.calibration;
  const v = threshold.value;
  if (!(c.n >= 2) || !(c.max > c.min)) return specOf({ score_threshold: v, knots: [], levels: [], tail: null });
  const pot = c['pot'] as { initial_level?: number; t?: number; gamma?: number; sigma?: number } | undefined;
  const tail = pot && [pot.initial_level, pot.t, pot.gamma, pot.sigma].every((x) => typeof x === 'number' && Number.isFinite(x)) &&
    pot.sigma! > 0 ? { level: pot.initial_level!, t: pot.t!, gamma: pot.gamma!, sigma: pot.sigma! } : null;
  const points: [number, number][] = [[0, c.min]];
  for (const [level, q] of Object.entries(c.quantiles)) points.push([Number(level), q]);
  points.push([1, c.max]);
  points.sort((a, b) => a[0] - b[0]);
  const kept = tail ? [...points.filter(([l]) => l < tail.level), [tail.level, tail.t] as [number, number]] : points;
  // quantiles are non-decreasing in their level; keep the knots so even if rounding disagrees
  for (let i = 1; i < kept.length; i++) kept[i]![1] = Math.max(kept[i]![1], kept[i - 1]![1]);
  return specOf({ score_threshold: v, knots: kept.map(([, q]) => q), levels: kept.map(([l]) => l), tail });
}

/** The probability threshold of the parameters: F(score threshold) in float32, kept inside (0, 1). */
function specOf(params: TailParams): ProbabilitySpec {
  const at = params.knots.length === 0 ? 0.5 : Math.fround(tailCdf(params, params.score_threshold));
  const threshold = Math.min(HIGHEST, Math.max(LOWEST, at));
  return { method: 'tail', threshold, params: params as unknown as Record<string, unknown> };
}

function pick(fit: { gamma: number; sigma: number }): { gamma: number; sigma: number } {
  return { gamma: fit.gamma, sigma: fit.sigma };
}

function checkParams(params: Record<string, unknown>): TailParams {
  const p = params as Partial<TailParams>;
  const numbers = (a: unknown) => Array.isArray(a) && a.every((x) => typeof x === 'number' && Number.isFinite(x));
  const ok = typeof p.score_threshold === 'number' && Number.isFinite(p.score_threshold) && numbers(p.knots) && numbers(p.levels) &&
    p.knots!.length === p.levels!.length && (p.tail === null || (typeof p.tail === 'object' && p.tail !== undefined &&
      [p.tail.level, p.tail.t, p.tail.gamma, p.tail.sigma].every((x) => typeof x === 'number' && Number.isFinite(x)) && p.tail.sigma > 0));
  if (!ok) throw new ManifestError('invalid manifest: probability.params of method tail are malformed', ['probability.params']);
  return p as TailParams;
}

/** The largest float32 below a positive float32 x. */
function prevFloat32(x: number): number {
  const f = new Float32Array([x]);
  const bits = new Uint32Array(f.buffer);
  bits[0] = bits[0]! - 1;
  return f[0]!;
}
