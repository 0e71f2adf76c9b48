import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng';
import { createAdam, type StepOptimizer } from '../fused-adam';
import { checkConfigKeys, configInt, configNumber, defaultDenseWidths, maskedMse, seededKernel, trainableVariables } from './common';
import { LATENT_LAYER, sampleDims, sampleSize } from './dense-ae';
import { VaeSampling } from './layers/vae-sampling';
import type { Batch, ModelDefinition, ZooModel } from './types';
import { InternalError } from '../../core/errors';

/**
 * vae: encoder → μ ('code'), log σ² → VaeSampling → decoder. Loss = masked MSE (per cell) + β·KL/cells,
 * KL = −½ Σ (1 + log σ² − μ² − σ²) per sample. The exported model takes the μ path (VaeSampling is the
 * identity on μ at inference), so the score is the reconstruction error at μ. `decoder` maps latent
 * draws to scaled samples (see sampleVae).
 */
export class VariationalAutoencoder implements ZooModel {
  readonly kind = 'vae' as const;
  readonly head = { latentLayer: LATENT_LAYER };
  private readonly optimizer: StepOptimizer;

  constructor(
    readonly model: tf.LayersModel,
    private readonly training: tf.LayersModel,
    readonly decoder: tf.LayersModel,
    readonly latentDim: number,
    readonly config: Record<string, unknown>,
    private readonly beta: number,
    learningRate: number,
  ) {
    this.optimizer = createAdam(trainableVariables(training), learningRate);
  }

  trainStep(batch: Batch): tf.Scalar {
    return this.optimizer.minimize(() => this.loss(batch, true));
  }

  evalLoss(batch: Batch): tf.Scalar {
    return tf.tidy(() => this.loss(batch, false));
  }

  private loss(batch: Batch, training: boolean): tf.Scalar {
    const [r, mu, logVar] = this.training.apply(batch.x, { training }) as tf.Tensor[];
    const kl = tf.mul(-0.5, tf.mean(tf.sum(tf.sub(tf.add(1, logVar), tf.add(tf.square(mu), tf.exp(logVar))), 1)));
    const cells = batch.x.size / batch.x.shape[0];
    return tf.add(maskedMse(r, batch.x, batch.mask), tf.mul(this.beta / cells, kl)) as tf.Scalar;
  }

  dispose(): void {
    this.optimizer.dispose();
    // tfjs counts a layer's references per call site: model's layers are all in training (one dispose
    // frees them; a second would throw); the decoder layers were also called on the decoder's own input.
    this.training.dispose();
    this.decoder.dispose();
  }
}

export const vae: ModelDefinition = {
  kind: 'vae',
  layouts: ['rows', 'windows'],
  build(ctx) {
    checkConfigKeys('vae', ctx.config, ['hidden', 'latent', 'beta']);
    const { shape, config, rng } = ctx;
    const size = sampleSize(shape);
    const widths = defaultDenseWidths(size);
    const hidden = configInt(config, 'hidden', widths.hidden);
    const latent = configInt(config, 'latent', widths.latent);
    const beta = configNumber(config, 'beta', 1);
    const input = tf.input({ shape: sampleDims(shape), name: 'x' });
    let h: tf.SymbolicTensor = input;
    if (shape.layout === 'windows') h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
    h = tf.layers
      .dense({ units: hidden, activation: 'relu', kernelInitializer: seededKernel(rng), name: 'enc_1' })
      .apply(h) as tf.SymbolicTensor;
    const mu = tf.layers.dense({ units: latent, kernelInitializer: seededKernel(rng), name: LATENT_LAYER }).apply(h) as tf.SymbolicTensor;
    const logVar = tf.layers.dense({ units: latent, kernelInitializer: seededKernel(rng), name: 'log_var' }).apply(h) as tf.SymbolicTensor;
    const z = new VaeSampling({ seed: rng.int(2 ** 31 - 1), name: 'sampling' }).apply([mu, logVar]) as tf.SymbolicTensor;
    const decoderLayers = [
      tf.layers.dense({ units: hidden, activation: 'relu', kernelInitializer: seededKernel(rng), name: 'dec_1' }),
      tf.layers.dense({ units: size, kernelInitializer: seededKernel(rng), name: 'recon' }),
      ...(shape.layout === 'windows' ? [tf.layers.reshape({ targetShape: sampleDims(shape), name: 'recon_shape' })] : []),
    ];
    const decode = (t: tf.SymbolicTensor): tf.SymbolicTensor => decoderLayers.reduce((a, l) => l.apply(a) as tf.SymbolicTensor, t);
    const out = decode(z);
    const model = tf.model({ inputs: input, outputs: out, name: 'vae' });
    const training = tf.model({ inputs: input, outputs: [out, mu, logVar], name: 'vae_train' });
    const zIn = tf.input({ shape: [latent], name: 'z' });
    const decoder = tf.model({ inputs: zIn, outputs: decode(zIn), name: 'vae_decoder' });
    return new VariationalAutoencoder(model, training, decoder, latent, { hidden, latent, beta }, beta, ctx.learningRate);
  },
};

/**
 * Draws `count` synthetic samples in scaled space from a trained VAE: z ~ N(0, I) through the decoder.
 * Returns row-major values (invert the scaler to get raw units).
 */
export function sampleVae(zm: ZooModel, count: number, rng: Rng): Float32Array {
  if (!(zm instanceof VariationalAutoencoder)) throw new InternalError(`sampleVae needs a 'vae' model, got '${zm.kind}'`);
  const z = new Float32Array(count * zm.latentDim);
  for (let i = 0; i < z.length; i++) z[i] = rng.normal();
  return tf.tidy(() => (zm.decoder.predict(tf.tensor(z, [count, zm.latentDim])) as tf.Tensor).dataSync() as Float32Array);
}
