import { InputError } from './errors';
import type { ThresholdInfo } from './manifest';
import { fitGpd } from './gpd';

export type ThresholdMethod = 'percentile' | 'sigma' | 'pot';

const REPORTED_QUANTILES = [0.5, 0.9, 0.95, 0.99, 0.995, 0.999];

/** Parses `percentile:99.5`, `sigma:3` or `pot:1e-3`, or throws InputError naming the bad spec. */
export function parseThresholdSpec(spec: string): { method: ThresholdMethod; param: number } {
  const m = /^(percentile|sigma|pot):([^:]+)$/.exec(spec.trim());
  const param = m ? Number(m[2]) : NaN;
  if (!m || !Number.isFinite(param)) {
    throw new InputError(`threshold must be percentile:P, sigma:K or pot:Q, got '${spec}'`);
  }
  const method = m[1] as ThresholdMethod;
  if (method === 'percentile' && !(param > 0 && param < 100))
    throw new InputError(`threshold percentile must be in (0, 100), got ${param}`);
  if (method === 'sigma' && !(param > 0)) throw new InputError(`threshold sigma must be > 0, got ${param}`);
  if (method === 'pot' && !(param > 0 && param < 1)) throw new InputError(`threshold pot risk q must be in (0, 1), got ${param}`);
  return { method, param };
}

/** Linear-interpolated quantile (type 7, as numpy's default) of ascending-sorted values; p in [0, 1]. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new InputError('quantile of an empty sample');
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Calibrates the anomaly threshold on (validation) scores.
 * - `percentile:P`: the P-th percentile.
 * - `sigma:K`: mean + K·std.
 * - `pot:q`: peaks over threshold (Siffer et al. 2017, SPOT's initial batch): an initial threshold t at
 *   the 98% quantile, a generalized Pareto fit (Grimshaw's trick, MLE) of the excesses over t, then
 *   z_q = t + σ/γ·((q·n/N_t)^(−γ) − 1) (γ = 0: z_q = t − σ·ln(q·n/N_t)); the risk q is the
 *   probability that a normal score exceeds z_q.
 * Returns the manifest's `threshold` object. Non-finite scores are dropped; at least 2 must remain.
 */
export function calibrateThreshold(scores: ArrayLike<number>, spec: string): ThresholdInfo {
  const { method, param } = parseThresholdSpec(spec);
  const finite = Array.from(scores).filter((s) => Number.isFinite(s));
  if (finite.length < 2) throw new InputError(`threshold calibration needs at least 2 finite scores, got ${finite.length}`);
  const sorted = Float64Array.from(finite).sort();
  const n = sorted.length;
  let mean = 0;
  for (const s of sorted) mean += s;
  mean /= n;
  let v = 0;
  for (const s of sorted) v += (s - mean) ** 2;
  const std = Math.sqrt(v / n);
  const quantiles: Record<string, number> = {};
  for (const q of REPORTED_QUANTILES) quantiles[String(q)] = quantileSorted(sorted, q);
  const calibration: ThresholdInfo['calibration'] = { n, mean, std, min: sorted[0], max: sorted[n - 1], quantiles };

  let value: number;
  if (method === 'percentile') {
    value = quantileSorted(sorted, param / 100);
  } else if (method === 'sigma') {
    value = mean + param * std;
  } else {
    const pot = potThreshold(sorted, param);
    value = pot.value;
    Object.assign(calibration, { pot: { initial_level: pot.level, t: pot.t, n_t: pot.nt, gamma: pot.gamma, sigma: pot.sigma } });
  }
  return { value, method, param, calibration };
}

interface PotResult {
  value: number;
  level: number;
  t: number;
  nt: number;
  gamma: number;
  sigma: number;
}

/** POT on ascending-sorted scores with risk q. */
function potThreshold(sorted: Float64Array, q: number): PotResult {
  const n = sorted.length;
  // Siffer et al. start at the 98% quantile; small samples go lower so that at least ~10 peaks remain.
  const level = Math.max(0.5, Math.min(0.98, 1 - 10 / n));
  const t = quantileSorted(sorted, level);
  const excesses: number[] = [];
  for (const s of sorted) if (s > t) excesses.push(s - t);
  const nt = excesses.length;
  if (nt < 3) {
    throw new InputError(
      `pot threshold needs at least 3 scores above the initial threshold ${t}, got ${nt} of ${n} (the scores are too discrete)`,
    );
  }
  const { gamma, sigma } = fitGpd(excesses);
  const r = (q * n) / nt;
  const value = Math.abs(gamma) < 1e-9 ? t - sigma * Math.log(r) : t + (sigma / gamma) * (Math.pow(r, -gamma) - 1);
  return { value, level, t, nt, gamma, sigma };
}
