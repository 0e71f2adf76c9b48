import type { Manifest } from '../core/manifest';
import { Rng } from '../core/rng';
import { invertScaler } from '../core/scaler';
import { TrainingConfigError } from './errors';

/** Runs a VAE decoder: z [n × latent_dim] row-major → scaled samples [n × (T·)F]. */
export type DecodeFn = (z: Float32Array, n: number, latentDim: number) => Promise<Float32Array>;

/**
 * Synthetic rows from a trained VAE artifact (`residual sample`): z ~ N(0, I) drawn with a seeded Rng,
 * decoded by `decode` (e.g. onnxruntime on the artifact's decoder.onnx, through scoring/adapters),
 * mapped back to raw units with the manifest's scaler. Returns row-major raw values [rows × features]
 * (a windows model yields `n` windows of T rows each, concatenated).
 */
export async function generateSamples(
  manifest: Manifest,
  decode: DecodeFn,
  n: number,
  seed = 0,
): Promise<{ features: string[]; values: Float32Array }> {
  if (manifest.kind !== 'vae') throw new TrainingConfigError(`sampling needs a 'vae' model, got kind '${manifest.kind}'`);
  if (!Number.isInteger(n) || n < 1) throw new TrainingConfigError(`rows must be a positive integer, got ${n}`);
  const k = manifest.latent_dim;
  if (k === null) throw new TrainingConfigError(`manifest of '${manifest.name}' has no latent_dim`);
  const rng = new Rng(seed);
  const z = new Float32Array(n * k);
  for (let i = 0; i < z.length; i++) z[i] = rng.normal();
  const scaled = await decode(z, n, k);
  const expected = n * manifest.features.length * (manifest.window?.size ?? 1);
  if (scaled.length !== expected) throw new TrainingConfigError(`decoder returned ${scaled.length} values, expected ${expected}`);
  return { features: manifest.features, values: invertScaler(manifest.scaler, scaled) };
}
