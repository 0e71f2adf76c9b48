import type { Rng } from '../../core/rng';
import { decodeRows } from '../../core/synthesis/column-transform';
import type { SynthesisSpec } from '../../core/synthesis/column-spec';
import type { CondSampler } from './cond-sampler';
import type { GanTrainer } from './gan-trainer';

/** n synthetic rows in raw units from the generator being trained (tfjs), cond drawn as for sampling. */
export function drawRaw(
  trainer: GanTrainer,
  sampler: CondSampler,
  spec: SynthesisSpec,
  n: number,
  noiseDim: number,
  rng: Rng,
): Float64Array {
  const z = new Float32Array(n * noiseDim);
  for (let i = 0; i < z.length; i++) z[i] = rng.normal();
  const cond = sampler.generate(n, rng);
  return decodeRows(spec, trainer.generate(z, cond, n), n, rng);
}
