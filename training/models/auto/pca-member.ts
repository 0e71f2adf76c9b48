import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/rng';
import { pca } from '../pca';
import type { ZooModel } from '../types';

/** The PCA member: residual's `pca` kind (closed form, 90 % of the variance) fitted in auto's scaled space. */
export interface PcaMember {
  /** The fitted pca model (its tf model is auto's `model`, its code the `latent` output). */
  zoo: ZooModel;
  features: number;
  components: number;
  /** [F × K] encoder, [K] encoder bias (−μ·W), [K × F] decoder, [F] decoder bias (μ). */
  w: Float32Array;
  encBias: Float32Array;
  wt: Float32Array;
  mean: Float32Array;
  explainedVariance: number;
}

export function fitPcaMember(x: Float32Array, mask: Float32Array, count: number, features: number, rng: Rng): PcaMember {
  const zoo = pca.build({ shape: { layout: 'rows', features, steps: null }, rng, config: {}, learningRate: 0 });
  try {
    zoo.fitClosedForm!(x, mask, count);
    const [w, encBias, wt, mean] = zoo.model.getWeights().map((t) => t.dataSync() as Float32Array);
    return {
      zoo, features, components: zoo.latentDim!, w: w!, encBias: encBias!, wt: wt!, mean: mean!,
      explainedVariance: Number(zoo.config['explained_variance']),
    };
  } catch (err) {
    zoo.dispose();
    throw err;
  }
}

/**
 * Per-row RMS reconstruction error (root of the mean squared error over observed cells: a distance, like the
 * kNN member's, so neither member's tail dominates the combination), the cell errors, reconstruction and code.
 */
export function pcaScores(
  member: PcaMember, x: Float32Array, mask: Float32Array,
): { score: Float64Array; cellError: Float32Array; reconstruction: Float32Array; code: Float32Array } {
  const { features: f, components: k } = member;
  const n = x.length / f;
  const [score, cell, rec, code] = tf.tidy(() => {
    const xt = tf.tensor2d(x, [n, f]);
    const mt = tf.tensor2d(mask, [n, f]);
    const c = tf.add(tf.matMul(xt, tf.tensor2d(member.w, [f, k])), tf.tensor1d(member.encBias));
    const r = tf.add(tf.matMul(c, tf.tensor2d(member.wt, [k, f])), tf.tensor1d(member.mean));
    const e = tf.mul(tf.square(tf.sub(r, xt)), mt);
    return [tf.sqrt(tf.div(tf.sum(e, 1), tf.maximum(tf.sum(mt, 1), 1))), e, r, c];
  });
  const out = {
    score: Float64Array.from(score!.dataSync()),
    cellError: cell!.dataSync() as Float32Array,
    reconstruction: rec!.dataSync() as Float32Array,
    code: code!.dataSync() as Float32Array,
  };
  tf.dispose([score!, cell!, rec!, code!]);
  return out;
}
