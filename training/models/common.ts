import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng';
import { TrainingConfigError } from '../errors';
import type { Batch, HeadHints } from './types';

/** Seeded Glorot-uniform kernel initializer (tfjs' own, with a seed drawn from rng). */
export function seededKernel(rng: Rng): ReturnType<typeof tf.initializers.glorotUniform> {
  return tf.initializers.glorotUniform({ seed: rng.int(2 ** 31 - 1) });
}

/** The trainable tf.Variables of a layers model (for optimizer.minimize's varList). */
export function trainableVariables(model: tf.LayersModel | tf.layers.Layer): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** Masked mean squared error: Σ mask·(r − x)² / max(Σ mask, 1). */
export function maskedMse(r: tf.Tensor, x: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const d = tf.sub(r, x);
    return tf.div(tf.sum(tf.mul(tf.square(d), mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
  });
}

/** What a reconstruction loss compares against: the batch's clean target when it has one, else x itself. */
export function lossTarget(batch: Batch): { target: tf.Tensor; mask: tf.Tensor } {
  return batch.target ? { target: batch.target, mask: batch.targetMask ?? batch.mask } : { target: batch.x, mask: batch.mask };
}

/** Per-sample masked MSE [N]: Σ over a sample's cells of mask·(r − x)² / max(Σ mask, 1). */
export function perSampleMse(r: tf.Tensor, x: tf.Tensor, mask: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const axes = r.shape.slice(1).map((_, i) => i + 1);
    return tf.div(tf.sum(tf.mul(tf.square(tf.sub(r, x)), mask), axes), tf.maximum(tf.sum(mask, axes), 1)) as tf.Tensor1D;
  });
}

/**
 * Weights [N] that keep the samples whose loss is at or below the (1 − trim) quantile of `losses` and drop
 * the rest (robust, "trimmed" training against anomalies in the training data). Not differentiable: call
 * it outside the gradient function.
 */
export function trimWeights(losses: tf.Tensor1D, trim: number): tf.Tensor1D {
  return tf.tidy(() => {
    const n = losses.shape[0];
    const keep = Math.max(1, Math.ceil(n * (1 - trim)));
    const cut = tf.topk(tf.neg(losses), keep).values.min().neg();
    return tf.cast(tf.lessEqual(losses, cut), 'float32') as tf.Tensor1D;
  });
}

/** The model's input list for a batch: [x] or [x, mask]. */
export function modelInputs(head: HeadHints, batch: Batch): tf.Tensor | tf.Tensor[] {
  return head.maskInput ? [batch.x, batch.mask] : batch.x;
}

/** Reads a positive integer from a kind's config, or returns the fallback. */
export function configInt(config: Record<string, unknown>, key: string, fallback: number, min = 1): number {
  const v = config[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw new TrainingConfigError(`config.${key} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return v;
}

/** Reads a non-negative number from a kind's config, or returns the fallback. */
export function configNumber(config: Record<string, unknown>, key: string, fallback: number, min = 0, max = Infinity): number {
  const v = config[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
    throw new TrainingConfigError(`config.${key} must be a number in [${min}, ${max}], got ${JSON.stringify(v)}`);
  return v;
}

/** Reads an integer list (layer widths) from a kind's config, or returns the fallback. */
export function configInts(config: Record<string, unknown>, key: string, fallback: number[]): number[] {
  const v = config[key];
  if (v === undefined) return fallback;
  if (!Array.isArray(v) || v.some((u) => typeof u !== 'number' || !Number.isInteger(u) || u < 1)) {
    throw new TrainingConfigError(`config.${key} must be a list of positive integers, got ${JSON.stringify(v)}`);
  }
  return v as number[];
}

/** Rejects config keys the kind does not know, naming them. */
export function checkConfigKeys(kind: string, config: Record<string, unknown>, known: readonly string[]): void {
  const unknown = Object.keys(config).filter((k) => !known.includes(k));
  if (unknown.length)
    throw new TrainingConfigError(
      `config for '${kind}' has unknown key(s) ${unknown.map((k) => `'${k}'`).join(', ')}; known: ${known.join(', ')}`,
    );
}

/**
 * The default dense widths for F features: a 140-64-16-64-140 shape scaled to F
 * (hidden ≈ 0.46·F but at least 16, code ≈ 0.11·F but at least 2 and below F).
 */
export function defaultDenseWidths(features: number): { hidden: number; latent: number } {
  const hidden = Math.max(16, Math.round((features * 64) / 140));
  const latent = Math.max(1, Math.min(features - 1, Math.max(2, Math.round((features * 16) / 140))));
  return { hidden, latent };
}

/**
 * Seeded orthogonal init for a [rows, cols] weight (Gram–Schmidt on Gaussian draws from rng), written
 * into the variable. Used for LSTM recurrent kernels instead of tfjs' orthogonal initializer, which runs
 * a QR decomposition through tensor ops and warns above 2000 elements.
 */
export function setOrthogonal(variable: tf.Variable, rng: Rng): void {
  const [rows, cols] = variable.shape as [number, number];
  const tall = rows >= cols;
  const n = tall ? rows : cols;
  const k = tall ? cols : rows;
  const q: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const v = Float64Array.from({ length: n }, () => rng.normal());
    for (let pass = 0; pass < 2; pass++) {
      for (const u of q) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += u[i] * v[i];
        for (let i = 0; i < n; i++) v[i] -= dot * u[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) v[i] /= norm;
    q.push(v);
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = tall ? q[c][r] : q[r][c];
  const t = tf.tensor(out, [rows, cols]);
  variable.assign(t);
  t.dispose();
}
