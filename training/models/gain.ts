import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng';
import { createAdam, type StepOptimizer } from '../fused-adam';
import { checkConfigKeys, configInt, configNumber, defaultDenseWidths, maskedMse, seededKernel, trainableVariables } from './common';
import { sampleDims, sampleSize } from './dense-ae';
import type { Batch, ModelDefinition, ZooModel } from './types';

/**
 * gain: Generative Adversarial Imputation Nets (Yoon, Jordon & van der Schaar, 2018).
 * Generator G([x̃, m]) → x̄ with x̃ = m⊙x + (1−m)⊙z; imputation x̂ = m⊙x + (1−m)⊙x̄. Discriminator
 * D([x̂, h]) → P(cell observed), with the hint h = b⊙m + ½(1−b), b ~ Bernoulli(hint_rate).
 * Losses: L_D = −mean(m·log D + (1−m)·log(1−D)); L_G = −mean((1−m)·log D) + α·MSE on observed cells.
 * residual's generator is a bottlenecked autoencoder (so the error on observed cells stays an anomaly
 * score), and training hides a further `hide` fraction of observed cells so that G learns to impute
 * cells it does not see and has reconstruction targets for them. The exported model is G ([x, mask]).
 */
class Gain implements ZooModel {
  readonly kind = 'gain' as const;
  readonly head = { maskInput: true, latentLayer: 'code' };
  private readonly gOpt: StepOptimizer;
  private readonly dOpt: StepOptimizer;

  constructor(
    readonly model: tf.LayersModel,
    private readonly discriminator: tf.LayersModel,
    readonly latentDim: number,
    readonly config: Record<string, unknown>,
    private readonly p: { alpha: number; hintRate: number; hide: number },
    private readonly rng: Rng,
    learningRate: number,
  ) {
    this.gOpt = createAdam(trainableVariables(model), learningRate);
    this.dOpt = createAdam(trainableVariables(discriminator), learningRate);
  }

  trainStep(batch: Batch): tf.Scalar {
    const seeds = [0, 1, 2].map(() => this.rng.int(2 ** 31 - 1));
    const { m, xTilde, h } = tf.tidy(() => {
      const keep = tf.cast(tf.greaterEqual(tf.randomUniform(batch.x.shape, 0, 1, 'float32', seeds[0]), this.p.hide), 'float32');
      const mm = tf.mul(batch.mask, keep);
      const z = tf.randomNormal(batch.x.shape, 0, 0.01, 'float32', seeds[1]);
      const xt = tf.add(tf.mul(mm, batch.x), tf.mul(tf.sub(1, mm), z));
      const b = tf.cast(tf.less(tf.randomUniform(batch.x.shape, 0, 1, 'float32', seeds[2]), this.p.hintRate), 'float32');
      const hint = tf.add(tf.mul(b, mm), tf.mul(0.5, tf.sub(1, b)));
      return { m: mm, xTilde: xt, h: hint };
    });
    const eps = 1e-7;
    const imputed = (gOut: tf.Tensor): tf.Tensor => tf.add(tf.mul(m, batch.x), tf.mul(tf.sub(1, m), gOut));
    const dLoss = this.dOpt.minimize(() => {
      const g = this.model.apply([xTilde, m], { training: true }) as tf.Tensor;
      const d = tf.clipByValue(this.discriminator.apply([imputed(g), h], { training: true }) as tf.Tensor, eps, 1 - eps);
      return tf.neg(tf.mean(tf.add(tf.mul(m, tf.log(d)), tf.mul(tf.sub(1, m), tf.log(tf.sub(1, d)))))) as tf.Scalar;
    });
    const gLoss = this.gOpt.minimize(() => {
      const g = this.model.apply([xTilde, m], { training: true }) as tf.Tensor;
      const d = tf.clipByValue(this.discriminator.apply([imputed(g), h]) as tf.Tensor, eps, 1 - eps);
      const adversarial = tf.neg(tf.mean(tf.mul(tf.sub(1, m), tf.log(d))));
      return tf.add(adversarial, tf.mul(this.p.alpha, maskedMse(g, batch.x, batch.mask))) as tf.Scalar;
    });
    dLoss.dispose();
    tf.dispose([m, xTilde, h]);
    return gLoss;
  }

  evalLoss(batch: Batch): tf.Scalar {
    return tf.tidy(() => maskedMse(this.model.apply([batch.x, batch.mask]) as tf.Tensor, batch.x, batch.mask));
  }

  dispose(): void {
    this.gOpt.dispose();
    this.dOpt.dispose();
    this.discriminator.dispose();
    this.model.dispose();
  }
}

export const gain: ModelDefinition = {
  kind: 'gain',
  layouts: ['rows', 'windows'],
  build(ctx) {
    checkConfigKeys('gain', ctx.config, ['hidden', 'latent', 'alpha', 'hint_rate', 'hide']);
    const { shape, rng } = ctx;
    const size = sampleSize(shape);
    const widths = defaultDenseWidths(size);
    const hidden = configInt(ctx.config, 'hidden', Math.max(widths.hidden, 2 * size));
    const latent = configInt(ctx.config, 'latent', widths.latent);
    const alpha = configNumber(ctx.config, 'alpha', 10);
    const hintRate = configNumber(ctx.config, 'hint_rate', 0.9, 0, 1);
    const hide = configNumber(ctx.config, 'hide', 0.2, 0, 0.9);
    const dims = sampleDims(shape);
    const flat = (t: tf.SymbolicTensor): tf.SymbolicTensor =>
      shape.layout === 'windows' ? (tf.layers.flatten().apply(t) as tf.SymbolicTensor) : t;
    const dense = (units: number, name: string, activation: 'relu' | 'linear' | 'sigmoid' = 'relu'): tf.layers.Layer =>
      tf.layers.dense({ units, activation, name, kernelInitializer: seededKernel(rng) });

    const x = tf.input({ shape: dims, name: 'x' });
    const mask = tf.input({ shape: dims, name: 'mask' });
    let g = tf.layers.concatenate({ name: 'g_in' }).apply([flat(x), flat(mask)]) as tf.SymbolicTensor;
    g = dense(hidden, 'g_1').apply(g) as tf.SymbolicTensor;
    g = dense(latent, 'code', 'linear').apply(g) as tf.SymbolicTensor;
    g = dense(hidden, 'g_2').apply(g) as tf.SymbolicTensor;
    g = dense(size, 'g_out', 'linear').apply(g) as tf.SymbolicTensor;
    if (shape.layout === 'windows') g = tf.layers.reshape({ targetShape: dims, name: 'g_shape' }).apply(g) as tf.SymbolicTensor;
    const generator = tf.model({ inputs: [x, mask], outputs: g, name: 'gain_generator' });

    const xd = tf.input({ shape: dims, name: 'x_hat' });
    const hd = tf.input({ shape: dims, name: 'hint' });
    let d = tf.layers.concatenate().apply([flat(xd), flat(hd)]) as tf.SymbolicTensor;
    d = dense(hidden, 'd_1').apply(d) as tf.SymbolicTensor;
    d = dense(hidden, 'd_2').apply(d) as tf.SymbolicTensor;
    d = dense(size, 'd_out', 'sigmoid').apply(d) as tf.SymbolicTensor;
    if (shape.layout === 'windows') d = tf.layers.reshape({ targetShape: dims }).apply(d) as tf.SymbolicTensor;
    const discriminator = tf.model({ inputs: [xd, hd], outputs: d, name: 'gain_discriminator' });
    return new Gain(
      generator,
      discriminator,
      latent,
      { hidden, latent, alpha, hint_rate: hintRate, hide },
      { alpha, hintRate, hide },
      rng.fork(),
      ctx.learningRate,
    );
  },
};
