import { correlationDistance } from '../../core/fidelity/correlation';
import { columnOf, sorted, stdOf, wasserstein1Sorted } from '../../core/fidelity/marginals';
import type { Rng } from '../../core/rng';
import { decodeRows } from '../../core/synthesis/column-transform';
import type { SynthesisSpec } from '../../core/synthesis/column-spec';
import type { CondSampler } from './cond-sampler';
import type { GanTrainer } from './gan-trainer';

/** n synthetic samples in raw units [n × steps·F] from the generator being trained (tfjs), cond drawn as for sampling. */
export function drawRaw(
  trainer: GanTrainer,
  sampler: CondSampler,
  spec: SynthesisSpec,
  n: number,
  noiseDim: number,
  rng: Rng,
  steps = 1,
): Float64Array {
  const z = new Float32Array(n * noiseDim);
  for (let i = 0; i < z.length; i++) z[i] = rng.normal();
  const cond = sampler.generate(n, rng);
  // a window's T·F outputs are T rows of F columns in model space
  return decodeRows(spec, trainer.generate(z, cond, n), n * steps, rng);
}

export type GanCriterion = 'wasserstein_mean' | 'wasserstein_correlation';
export const GAN_CRITERIA: readonly GanCriterion[] = ['wasserstein_mean', 'wasserstein_correlation'];

/**
 * The early-stopping criterion (lower is better) of held-out samples against synthetic ones, [n × width]:
 * `wasserstein_mean` the mean over columns of W₁ / sd(held-out) (meanNormalizedWasserstein's figure, the held-out
 * columns sorted once: training checks every epoch); `wasserstein_correlation` adds the mean
 * |ρ_held-out − ρ_synthetic| over column pairs (the marginals alone do not see a generator that breaks the joint).
 */
export class HeldOutFidelity {
  private readonly columns: Float64Array[];
  private readonly sd: number[];

  constructor(private readonly holdout: Float64Array, private readonly width: number, private readonly criterion: GanCriterion) {
    const cols = Array.from({ length: width }, (_, j) => columnOf(holdout, width, j));
    this.columns = cols.map(sorted);
    this.sd = cols.map(stdOf);
  }

  score(synthetic: Float64Array): number {
    let sum = 0;
    for (let j = 0; j < this.width; j++) {
      const w = wasserstein1Sorted(this.columns[j]!, sorted(columnOf(synthetic, this.width, j)));
      sum += this.sd[j]! > 0 ? w / this.sd[j]! : w;
    }
    const w = sum / this.width;
    return this.criterion === 'wasserstein_mean' ? w : w + correlationDistance(this.holdout, synthetic, this.width).mean_abs;
  }
}
