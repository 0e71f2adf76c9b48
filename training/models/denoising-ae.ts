import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng';
import { checkConfigKeys, configInt, configNumber, maskedMse } from './common';
import { buildDenseAutoencoder, LATENT_LAYER, ReconstructionModel } from './dense-ae';
import type { Batch, ModelDefinition } from './types';

/**
 * denoising-ae: the dense autoencoder fed a corrupted input at train time — Gaussian noise
 * (σ = `noise`, scaled units) on every cell and masking corruption (a `dropout` fraction of cells set to
 * 0, the scaled mean, as missing cells are) — and asked for the clean observed cells. It detects,
 * denoises and imputes (with `iterations` > 1 the head re-feeds its imputations).
 */
class DenoisingAutoencoder extends ReconstructionModel {
  constructor(model: tf.LayersModel, latent: number, config: Record<string, unknown>, learningRate: number,
    private readonly noise: number, private readonly dropout: number, private readonly rng: Rng, iterations: number) {
    super('denoising-ae', model, latent, config, learningRate, { latentLayer: LATENT_LAYER, ...(iterations > 1 ? { iterations } : {}) });
  }

  protected override trainLoss(batch: Batch): tf.Scalar {
    const seedA = this.rng.int(2 ** 31 - 1);
    const seedB = this.rng.int(2 ** 31 - 1);
    const keep = tf.cast(tf.greaterEqual(tf.randomUniform(batch.x.shape, 0, 1, 'float32', seedA), this.dropout), 'float32');
    const noisy = tf.mul(tf.add(batch.x, tf.randomNormal(batch.x.shape, 0, this.noise, 'float32', seedB)), keep);
    const r = this.model.apply(noisy, { training: true }) as tf.Tensor;
    return maskedMse(r, batch.x, batch.mask);
  }
}

export const denoisingAe: ModelDefinition = {
  kind: 'denoising-ae',
  layouts: ['rows', 'windows'],
  build(ctx) {
    checkConfigKeys('denoising-ae', ctx.config, ['hidden', 'latent', 'noise', 'dropout', 'iterations']);
    const noise = configNumber(ctx.config, 'noise', 0.1);
    const dropout = configNumber(ctx.config, 'dropout', 0.1, 0, 0.9);
    const iterations = configInt(ctx.config, 'iterations', 1);
    const { model, hidden, latent } = buildDenseAutoencoder(ctx, 'denoising_ae');
    return new DenoisingAutoencoder(model, latent, { hidden, latent, noise, dropout, iterations }, ctx.learningRate, noise, dropout, ctx.rng.fork(), iterations);
  },
};
