import * as tf from '@tensorflow/tfjs';
import type { ScoringHeadOptions } from '../../../training/export';

/** The scoring head's formulas computed directly in JS + tfjs predict (reference for the ONNX head). */
export interface HeadReference {
  reconstruction: Float32Array;
  score: Float32Array;
  featureError: Float32Array;
  latent?: Float32Array;
}

export function referenceHead(
  model: tf.LayersModel,
  head: ScoringHeadOptions,
  x: Float32Array,
  mask: Float32Array,
  dims: number[],
  latentModel?: tf.LayersModel,
): HeadReference {
  const f = dims[dims.length - 1]!;
  const n = dims[0]!;
  const cellsPerRow = x.length / n;
  const s0 = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) s0[i] = mask[i]! > 0.5 ? (x[i]! - head.offset[i % f]!) / head.scale[i % f]! : 0;
  let current: Float32Array = s0;
  let r: Float32Array = s0;
  let latent: Float32Array | undefined;
  for (let k = 0; k < (head.iterations ?? 1); k++) {
    r = tf.tidy(() => {
      const input = tf.tensor(current, dims);
      const out = head.maskInput ? model.predict([input, tf.tensor(mask, dims).greater(0.5).toFloat()]) : model.predict(input);
      return (out as tf.Tensor).dataSync() as Float32Array;
    });
    if (latentModel) latent = tf.tidy(() => (latentModel.predict(tf.tensor(current, dims)) as tf.Tensor).dataSync() as Float32Array);
    const next = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) next[i] = mask[i]! > 0.5 ? s0[i]! : r[i]!;
    current = next;
  }
  const reconstruction = r.map((v, i) => v * head.scale[i % f]! + head.offset[i % f]!);
  const score = new Float32Array(n);
  const featureError = new Float32Array(n * f);
  const steps = cellsPerRow / f;
  for (let row = 0; row < n; row++) {
    let sum = 0;
    let count = 0;
    for (let c = 0; c < cellsPerRow; c++) {
      const i = row * cellsPerRow + c;
      const d = r[i]! - s0[i]!;
      const m = mask[i]! > 0.5 ? 1 : 0;
      const e = (head.error === 'mse' ? d * d : Math.abs(d)) * m;
      sum += e;
      count += m;
      featureError[row * f + (c % f)] += e / steps;
    }
    score[row] = sum / Math.max(count, 1);
  }
  return { reconstruction, score, featureError, latent };
}
