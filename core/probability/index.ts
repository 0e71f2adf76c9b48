import { ManifestError } from '../errors';
import type { Manifest } from '../manifest';
import type { ProbabilityModel, ProbabilitySpec } from './probability-model';
import { TailProbability, tailSpecFromCalibration } from './tail-probability';
import { ANOMALY_LIKELIHOOD, AnomalyLikelihood } from './anomaly-likelihood';

export type { ProbabilityModel, ProbabilitySpec } from './probability-model';
export { tailSpecFromScores, tailSpecFromCalibration, tailCdf, type TailParams } from './tail-probability';

/** Probability methods whose model keeps no state (pieces of a series can be scored independently, e.g. in worker threads). */
export const STATELESS_PROBABILITY_METHODS: readonly string[] = ['tail'];

/** The model of a manifest's `probability` block, resumed from `state` (a snapshot()) when given. */
export function createProbabilityModel(spec: ProbabilitySpec, state?: unknown): ProbabilityModel {
  switch (spec.method) {
    case 'tail':
      return new TailProbability(spec);
    case ANOMALY_LIKELIHOOD:
      return new AnomalyLikelihood(spec, state);
    default:
      throw new ManifestError(`invalid manifest: unknown probability method '${spec.method}'`, ['probability.method']);
  }
}

/** The manifest's probability block, or for a manifest without one the `tail` spec of its threshold calibration. */
export function probabilitySpecFor(manifest: Pick<Manifest, 'threshold'> & { probability?: ProbabilitySpec }): ProbabilitySpec {
  return manifest.probability ?? tailSpecFromCalibration(manifest.threshold);
}
