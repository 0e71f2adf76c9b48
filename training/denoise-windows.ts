import * as tf from '@tensorflow/tfjs';
import { applyScaler, type ScalerParams } from '../core/scaler';
import { overlapWeights, overlapWindowStarts } from '../core/signal/overlap-weights';

/**
 * Denoises a recording (rows × F, raw units, NaN = missing) with a trained windowed model the way
 * `score --mode denoise` does for a continuous-signal model: windows of T rows starting every `hop` rows plus
 * one ending at the last row, outputs averaged where windows overlap (weighted: core/signal/overlap-weights.ts).
 * Missing cells enter as the scaled mean (0) and come out NaN. Recordings shorter than T come back unchanged.
 */
export function denoiseWindows(
  model: tf.LayersModel, values: Float32Array, f: number, scaler: ScalerParams, t: number, hop: number, batch = 256,
): Float32Array {
  const n = values.length / f;
  if (n < t) return values.slice();
  const scaled = applyScaler(scaler, values);
  for (let i = 0; i < scaled.length; i++) if (!Number.isFinite(scaled[i]!)) scaled[i] = 0;
  const starts = overlapWindowStarts(n, t, hop);
  const sum = new Float64Array(n * f);
  const count = new Float64Array(n);
  const weights = overlapWeights(t, hop);
  for (let b = 0; b < starts.length; b += batch) {
    const group = starts.slice(b, b + batch);
    const x = new Float32Array(group.length * t * f);
    group.forEach((s, w) => x.set(scaled.subarray(s * f, (s + t) * f), w * t * f));
    const out = tf.tidy(() => (model.predict(tf.tensor3d(x, [group.length, t, f])) as tf.Tensor).dataSync() as Float32Array);
    group.forEach((s, w) => {
      for (let r = 0; r < t; r++) {
        count[s + r]! += weights[r]!;
        for (let j = 0; j < f; j++) sum[(s + r) * f + j]! += weights[r]! * out[(w * t + r) * f + j]!;
      }
    });
  }
  const result = new Float32Array(n * f);
  for (let i = 0; i < n * f; i++) {
    const j = i % f;
    result[i] = Number.isFinite(values[i]!) ? (sum[i]! / count[Math.floor(i / f)]!) * scaler.scale[j]! + scaler.offset[j]! : NaN;
  }
  return result;
}
