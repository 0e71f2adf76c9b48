import * as tf from '@tensorflow/tfjs';
import { sampleLength, type Samples } from './dataset';
import type { Batch, ZooModel } from './models/types';

export type ErrorKind = 'mse' | 'mae';

/**
 * Scores samples exactly as the exported ONNX scoring head does (training/export/scoring-head.ts):
 * r = model(x) (re-fed `iterations` times with observed cells restored), per-cell error (r − x)² or
 * |r − x| on observed cells in scaled space, score = Σ error / max(observed cells, 1).
 */
export function scoreSamples(zm: ZooModel, s: Samples, error: ErrorKind = 'mse', batchSize = 1024): Float32Array {
  const scores = new Float32Array(s.count);
  const len = sampleLength(s.shape);
  const dims = s.shape.layout === 'windows' ? [s.shape.steps!, s.shape.features] : [s.shape.features];
  for (let start = 0; start < s.count; start += batchSize) {
    const n = Math.min(batchSize, s.count - start);
    const out = tf.tidy(() => {
      const x = tf.tensor(s.x.subarray(start * len, (start + n) * len), [n, ...dims]);
      const mask = tf.tensor(s.mask.subarray(start * len, (start + n) * len), [n, ...dims]);
      const r = reconstruct(zm, { x, mask });
      const d = tf.sub(r, x);
      const cell = tf.mul(error === 'mse' ? tf.square(d) : tf.abs(d), mask);
      const axes = dims.map((_, i) => i + 1);
      return tf.div(tf.sum(cell, axes), tf.maximum(tf.sum(mask, axes), 1));
    });
    scores.set(out.dataSync() as Float32Array, start);
    out.dispose();
  }
  return scores;
}

/** The model's reconstruction in scaled space, as the head computes it (inference mode). */
export function reconstruct(zm: ZooModel, batch: Batch): tf.Tensor {
  return tf.tidy(() => {
    const iterations = zm.head.iterations ?? 1;
    let current = batch.x;
    let r = batch.x;
    for (let k = 0; k < iterations; k++) {
      r = zm.model.predict(zm.head.maskInput ? [current, batch.mask] : current) as tf.Tensor;
      current = tf.where(tf.greater(batch.mask, 0.5), batch.x, r);
    }
    return r;
  });
}
