import { ANOMALY_LIKELIHOOD, type AnomalyLikelihoodParams } from '../../../core/probability/anomaly-likelihood';
import type { ProbabilitySpec } from '../../../core/probability/probability-model';

/**
 * The probability settings auto-series writes (chosen on the design half of NAB's dev files, see
 * BENCHMARKS.md): a 10-row short average, a 1,000-row time constant, a 30-row refractory period after an
 * alarm, threshold 0.5 (a Gaussian tail of about 1e-5).
 */
export const SERIES_PROBABILITY = { short: 10, long: 1000, refractory: 30, threshold: 0.5, min_std: 1e-3 } as const;

/** The manifest `probability` block, its prior from the training windows' leave-one-out scores. */
export function seriesProbability(calibration: Float32Array): { spec: ProbabilitySpec; why: string } {
  let n = 0;
  let mean = 0;
  for (const v of calibration) if (Number.isFinite(v)) { n++; mean += v; }
  mean = n ? mean / n : 0;
  let v2 = 0;
  for (const v of calibration) if (Number.isFinite(v)) v2 += (v - mean) ** 2;
  const params: AnomalyLikelihoodParams = {
    short: SERIES_PROBABILITY.short, long: SERIES_PROBABILITY.long, prior_mean: mean, prior_var: n ? v2 / n : 1, prior_weight: 0,
    min_std: SERIES_PROBABILITY.min_std, refractory: SERIES_PROBABILITY.refractory, refractory_damp: 0, clip: 0,
  };
  return {
    spec: { method: ANOMALY_LIKELIHOOD, threshold: SERIES_PROBABILITY.threshold, params: { ...params } },
    why: `anomaly likelihood of the mean of the last ${params.short} scores against their running Gaussian ` +
      `(time constant ${params.long} rows), log-scaled; ${params.refractory} quiet rows after an alarm; threshold ` +
      `${SERIES_PROBABILITY.threshold}; prior = mean and variance of the ${n} training windows' scores`,
  };
}
