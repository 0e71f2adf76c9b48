import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/rng';
import { splitSamples, type Samples } from '../../dataset';
import { runTrainingLoop } from '../../loop';
import { createProgress, type ProgressMode } from '../../progress';
import { buildDenseAutoencoder, LATENT_LAYER, ReconstructionModel } from '../dense-ae';

/** Most rows the autoencoder member trains on (a seeded subsample beyond). */
export const AE_MAX_ROWS = 10000;
export const AE_EPOCHS = 60;
/** The trimmed loss: the 5 % of each batch with the largest error are left out (anomalies in the training data). */
export const AE_TRIM = 0.05;

/** The autoencoder member: residual's dense-ae (default widths) with a trimmed loss, in auto's scaled space. */
export interface AeMember {
  zoo: ReconstructionModel;
  features: number;
  epochs: number;
}

export function fitAeMember(x: Float32Array, mask: Float32Array, rows: number, f: number, rng: Rng, progress: ProgressMode): AeMember {
  const n = Math.min(rows, AE_MAX_ROWS);
  const idx = rows > n ? rng.permutation(rows).subarray(0, n).slice().sort() : null;
  const take = (a: Float32Array): Float32Array => {
    if (!idx) return a;
    const out = new Float32Array(n * f);
    for (let i = 0; i < n; i++) out.set(a.subarray(idx[i]! * f, idx[i]! * f + f), i * f);
    return out;
  };
  const samples: Samples = { shape: { layout: 'rows', features: f, steps: null }, count: n, x: take(x), mask: take(mask) };
  const { train, validation } = splitSamples(samples, 0.2, rng.fork());
  const ctx = { shape: samples.shape, rng: rng.fork(), config: {}, learningRate: 1e-3 };
  const { model, hidden, latent } = buildDenseAutoencoder(ctx, 'auto_ae');
  const config = { hidden, latent, trim: AE_TRIM };
  const zoo = new ReconstructionModel('dense-ae', model, latent, config, 1e-3, { latentLayer: LATENT_LAYER }, AE_TRIM);
  try {
    const loop = runTrainingLoop(zoo, train, validation, {
      epochs: AE_EPOCHS, batchSize: 128, patience: 8, rng: rng.fork(),
      progress: createProgress({ mode: progress, label: 'train auto (autoencoder member)' }),
    });
    return { zoo, features: f, epochs: loop.history.length };
  } catch (err) {
    zoo.dispose();
    throw err;
  }
}

/** Per-row RMS reconstruction error over observed cells and the cell errors, in scaled space. */
export function aeScores(member: AeMember, x: Float32Array, mask: Float32Array): { score: Float64Array; cellError: Float32Array } {
  const f = member.features;
  const n = x.length / f;
  const [score, cell] = tf.tidy(() => {
    const xt = tf.tensor2d(x, [n, f]);
    const mt = tf.tensor2d(mask, [n, f]);
    const r = member.zoo.model.predict(xt) as tf.Tensor;
    const e = tf.mul(tf.square(tf.sub(r, xt)), mt);
    return [tf.sqrt(tf.div(tf.sum(e, 1), tf.maximum(tf.sum(mt, 1), 1))), e];
  });
  const out = { score: Float64Array.from(score!.dataSync()), cellError: cell!.dataSync() as Float32Array };
  tf.dispose([score!, cell!]);
  return out;
}
