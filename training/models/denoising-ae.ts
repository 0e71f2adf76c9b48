import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng';
import { TrainingConfigError } from '../errors';
import { checkConfigKeys, configInt, configNumber, lossTarget, maskedMse } from './common';
import { buildDenseAutoencoder, LATENT_LAYER, ReconstructionModel } from './dense-ae';
import type { Batch, ModelDefinition } from './types';

interface Corruption {
  noise: number;
  dropout: number;
  /** Fraction of observed cells hidden per batch; > 0 puts the loss on the hidden cells only. */
  hide: number;
  maskInput: boolean;
}

/**
 * denoising-ae: the dense autoencoder fed a corrupted input at train time — Gaussian noise
 * (σ = `noise`, scaled units) on every cell and masking corruption (a `dropout` fraction of cells set to
 * 0, the scaled mean, as missing cells are) — and asked for the clean observed cells (or Batch.target).
 * It detects, denoises and imputes (with `iterations` > 1 the head re-feeds its imputations).
 * Imputer recipe (MIDA-style): `hide` > 0 hides that fraction of the observed cells each batch and
 * puts the loss on exactly those cells; `mask_input` feeds the observed mask as a second input.
 */
class DenoisingAutoencoder extends ReconstructionModel {
  constructor(model: tf.LayersModel, latent: number, config: Record<string, unknown>, learningRate: number,
    private readonly c: Corruption, private readonly rng: Rng, iterations: number) {
    super('denoising-ae', model, latent, config, learningRate, {
      latentLayer: LATENT_LAYER, ...(iterations > 1 ? { iterations } : {}), ...(c.maskInput ? { maskInput: true } : {}),
    });
  }

  protected override trainLoss(batch: Batch): tf.Scalar {
    const seedA = this.rng.int(2 ** 31 - 1);
    const seedB = this.rng.int(2 ** 31 - 1);
    const keep = tf.cast(tf.greaterEqual(tf.randomUniform(batch.x.shape, 0, 1, 'float32', seedA), this.c.dropout), 'float32');
    let seen = tf.mul(batch.mask, keep);
    let hidden: tf.Tensor | null = null;
    if (this.c.hide > 0) {
      const shown = tf.cast(
        tf.greaterEqual(tf.randomUniform(batch.x.shape, 0, 1, 'float32', this.rng.int(2 ** 31 - 1)), this.c.hide),
        'float32',
      );
      hidden = tf.mul(batch.mask, tf.sub(1, shown));
      seen = tf.mul(seen, shown);
    }
    const noisy = this.c.noise > 0 ? tf.add(batch.x, tf.randomNormal(batch.x.shape, 0, this.c.noise, 'float32', seedB)) : batch.x;
    const input = tf.mul(noisy, this.c.maskInput || this.c.hide > 0 ? seen : keep);
    const r = this.model.apply(this.c.maskInput ? [input, seen] : input, { training: true }) as tf.Tensor;
    if (hidden) return maskedMse(r, batch.x, hidden);
    const { target, mask } = lossTarget(batch);
    return maskedMse(r, target, mask);
  }

  /**
   * With `hide` > 0 the early-stopping loss is the imputation error: a fixed (seeded) `hide` fraction of
   * the observed cells is hidden and the loss is taken on those cells only, as in training.
   */
  override evalLoss(batch: Batch): tf.Scalar {
    if (this.c.hide > 0) {
      return tf.tidy(() => {
        const shown = tf.cast(tf.greaterEqual(tf.randomUniform(batch.x.shape, 0, 1, 'float32', EVAL_HIDE_SEED), this.c.hide), 'float32');
        const seen = tf.mul(batch.mask, shown);
        const input = tf.mul(batch.x, seen);
        const r = this.model.apply(this.c.maskInput ? [input, seen] : input) as tf.Tensor;
        return maskedMse(r, batch.x, tf.sub(batch.mask, seen));
      });
    }
    if (!this.c.maskInput) return super.evalLoss(batch);
    const { target, mask } = lossTarget(batch);
    return tf.tidy(() => maskedMse(this.model.apply([batch.x, batch.mask]) as tf.Tensor, target, mask));
  }
}

/** Seed of the fixed hidden cells in evalLoss when `hide` > 0. */
const EVAL_HIDE_SEED = 7919;

export const denoisingAe: ModelDefinition = {
  kind: 'denoising-ae',
  layouts: ['rows', 'windows'],
  build(ctx) {
    checkConfigKeys('denoising-ae', ctx.config, ['hidden', 'latent', 'noise', 'dropout', 'iterations', 'hide', 'mask_input']);
    const noise = configNumber(ctx.config, 'noise', 0.1);
    const dropout = configNumber(ctx.config, 'dropout', 0.1, 0, 0.9);
    const hide = configNumber(ctx.config, 'hide', 0, 0, 0.9);
    const iterations = configInt(ctx.config, 'iterations', 1);
    const maskInput = ctx.config['mask_input'] ?? false;
    if (typeof maskInput !== 'boolean')
      throw new TrainingConfigError(`config.mask_input must be a boolean, got ${JSON.stringify(maskInput)}`);
    const { model, hidden, latent } = buildDenseAutoencoder(ctx, 'denoising_ae', false, maskInput);
    const config = {
      hidden,
      latent,
      noise,
      dropout,
      iterations,
      ...(hide > 0 ? { hide } : {}),
      ...(maskInput ? { mask_input: true } : {}),
    };
    return new DenoisingAutoencoder(
      model,
      latent,
      config,
      ctx.learningRate,
      { noise, dropout, hide, maskInput },
      ctx.rng.fork(),
      iterations,
    );
  },
};
