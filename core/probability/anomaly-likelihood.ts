import { ManifestError } from '../errors';
import type { ProbabilityModel, ProbabilitySpec } from './probability-model';

/** The manifest `probability.method` of this model. */
export const ANOMALY_LIKELIHOOD = 'anomaly-likelihood';

/**
 * Parameters of the anomaly likelihood (manifest `probability.params`). After Ahmad et al. (2017,
 * "Unsupervised real-time anomaly detection for streaming data", Numenta's anomaly likelihood): the mean of
 * the last `short` raw scores is compared with a Gaussian of the long history of that mean.
 */
export interface AnomalyLikelihoodParams {
  /** rows in the short moving average of raw scores */
  short: number;
  /** time constant, in rows, of the exponentially weighted mean and variance of the short average */
  long: number;
  /** prior mean and variance of the short average (from the training rows) and their weight in rows */
  prior_mean: number;
  prior_var: number;
  prior_weight: number;
  /** lower bound of the standard deviation (raw-score units), so a constant score history gives z = 0 */
  min_std: number;
  /** rows after a row at or above the threshold whose probability is multiplied by `refractory_damp` */
  refractory: number;
  refractory_damp: number;
  /** the update of the mean and variance uses a − μ clipped to ±clip·σ (0 = no clipping): anomalies move them less */
  clip: number;
}

export const DEFAULT_LIKELIHOOD_PARAMS: AnomalyLikelihoodParams = {
  short: 10, long: 2000, prior_mean: 0, prior_var: 1, prior_weight: 100, min_std: 1e-3, refractory: 0, refractory_damp: 0, clip: 0,
};

interface LikelihoodState {
  /** effective number of short averages seen (prior weight included), for the warm-up step size */
  n: number;
  mean: number;
  var: number;
  /** the last `short` raw scores (ring) and where the next goes */
  ring: number[];
  at: number;
  filled: number;
  /** rows of refractory period left */
  quiet: number;
}

/** log(1e-10): the probability is log(tail + 1e-10) / log(1e-10), in [0, 1] (NAB's numenta detector scaling). */
const LOG_FLOOR = Math.log(1e-10);

/**
 * Causal, O(1) per row: for each scored row the raw score enters a ring of the last `short` scores; their
 * mean a is tested against the running Gaussian (mean μ, variance σ², max(σ, min_std)) of earlier
 * averages: tail = P(N(μ, σ²) ≥ a); probability = log(tail + 1e-10) / log(1e-10) (1 for a tail of 1e-10,
 * 0.03 at the mean). Then (μ, σ²) take a in with step 1 / min(n, long) (a cumulative mean while warming up,
 * then an exponential one with time constant `long`), so the model follows drift. A probability at or above
 * the threshold starts a refractory period: the next `refractory` rows' probabilities are multiplied by
 * `refractory_damp` (one alarm per event, not one per row). NaN scores give NaN and leave the state as is.
 */
export class AnomalyLikelihood implements ProbabilityModel {
  private readonly p: AnomalyLikelihoodParams;
  private readonly threshold: number;
  private s: LikelihoodState;

  constructor(spec: ProbabilitySpec, state?: unknown) {
    this.p = likelihoodParams(spec.params);
    this.threshold = spec.threshold;
    this.s = state === undefined || state === null ? this.initial() : checkState(state, this.p.short);
  }

  private initial(): LikelihoodState {
    const { prior_mean, prior_var, prior_weight } = this.p;
    return { n: prior_weight, mean: prior_mean, var: prior_var, ring: [], at: 0, filled: 0, quiet: 0 };
  }

  push(scores: Float32Array): Float32Array {
    const out = new Float32Array(scores.length);
    const { short, long, min_std: minStd, refractory, refractory_damp: damp, clip } = this.p;
    const s = this.s;
    for (let i = 0; i < scores.length; i++) {
      const x = scores[i]!;
      if (!Number.isFinite(x)) {
        out[i] = NaN;
        continue;
      }
      if (s.filled < short) {
        s.ring.push(x);
        s.filled++;
      } else {
        s.ring[s.at] = x;
      }
      s.at = (s.at + 1) % short;
      let sum = 0;
      for (let j = 0; j < s.filled; j++) sum += s.ring[j]!;
      const a = sum / s.filled;
      const sd = Math.max(Math.sqrt(s.var), minStd);
      const tail = 0.5 * erfc((a - s.mean) / (sd * Math.SQRT2));
      let prob = Math.min(1, Math.max(0, Math.log(tail + 1e-10) / LOG_FLOOR));
      if (s.quiet > 0) {
        prob *= damp;
        s.quiet--;
      } else if (prob >= this.threshold) {
        s.quiet = refractory;
      }
      out[i] = prob;
      s.n++;
      const alpha = 1 / Math.min(s.n, long);
      const d = clip > 0 ? Math.max(-clip * sd, Math.min(clip * sd, a - s.mean)) : a - s.mean;
      s.mean += alpha * d;
      s.var = (1 - alpha) * (s.var + alpha * d * d);
    }
    return out;
  }

  snapshot(): unknown {
    return { ...this.s, ring: [...this.s.ring] };
  }
}

/** The parameters with defaults filled in; a wrong type or range is an error naming the parameter. */
export function likelihoodParams(params: Record<string, unknown>): AnomalyLikelihoodParams {
  const out = { ...DEFAULT_LIKELIHOOD_PARAMS };
  for (const key of Object.keys(DEFAULT_LIKELIHOOD_PARAMS) as (keyof AnomalyLikelihoodParams)[]) {
    const v = params[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ManifestError(`probability param '${key}' must be a finite number`);
    out[key] = v;
  }
  if (!Number.isInteger(out.short) || out.short < 1) throw new ManifestError(`probability param 'short' must be an integer >= 1`);
  if (out.long < 1) throw new ManifestError(`probability param 'long' must be >= 1`);
  if (!Number.isInteger(out.refractory) || out.refractory < 0)
    throw new ManifestError(`probability param 'refractory' must be an integer >= 0`);
  if (out.prior_var < 0 || out.prior_weight < 0 || out.min_std <= 0)
    throw new ManifestError('probability params prior_var, prior_weight >= 0, min_std > 0');
  return out;
}

function checkState(state: unknown, short: number): LikelihoodState {
  const s = state as Partial<LikelihoodState>;
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (typeof s !== 'object' || s === null || !num(s.n) || !num(s.mean) || !num(s.var) || !num(s.at) || !num(s.filled) ||
    !num(s.quiet) || !Array.isArray(s.ring) || !s.ring.every(num) || s.ring.length !== s.filled || s.filled > short) {
    throw new ManifestError('anomaly-likelihood state is not a snapshot of this model (its shape or short window differs)');
  }
  return { n: s.n, mean: s.mean, var: s.var, ring: [...s.ring], at: s.at, filled: s.filled, quiet: s.quiet };
}

/** Complementary error function (Numerical Recipes' erfcc Chebyshev fit; measured relative error < 5e-6, < 3e-7 for x ≥ 1). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851122 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}
