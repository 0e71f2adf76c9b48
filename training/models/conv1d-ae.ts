import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng';
import { TrainingConfigError } from '../errors';
import { checkConfigKeys, configInt, configInts, configNumber, lossTarget, maskedMse, seededKernel } from './common';
import { LATENT_LAYER, ReconstructionModel, sampleDims } from './dense-ae';
import { UpSampling1D } from './layers/up-sampling-1d';
import type { Batch, HeadHints, ModelDefinition, SampleShape } from './types';
import { buildConvUnet, ConvUnet } from './conv1d-unet';

/** Sequence view of a sample: rows [F] are one signal of F steps × 1 channel; windows [T, F] are T steps × F channels. */
export function sequenceView(shape: SampleShape): { steps: number; channels: number } {
  return shape.layout === 'windows' ? { steps: shape.steps!, channels: shape.features } : { steps: shape.features, channels: 1 };
}

/** conv1d-ae with train-time input corruption: Gaussian noise σ = `noise` and a `dropout` fraction of cells zeroed. */
class ConvAutoencoder extends ReconstructionModel {
  constructor(model: tf.LayersModel, latent: number | null, config: Record<string, unknown>, learningRate: number, head: HeadHints,
    private readonly noise: number, private readonly dropout: number, private readonly rng: Rng) {
    super('conv1d-ae', model, latent, config, learningRate, head);
  }

  protected override trainLoss(batch: Batch): tf.Scalar {
    let input = batch.x;
    if (this.noise > 0) input = tf.add(input, tf.randomNormal(input.shape, 0, this.noise, 'float32', this.rng.int(2 ** 31 - 1)));
    if (this.dropout > 0)
      input = tf.mul(
        input,
        tf.cast(tf.greaterEqual(tf.randomUniform(input.shape, 0, 1, 'float32', this.rng.int(2 ** 31 - 1)), this.dropout), 'float32'),
      );
    const r = this.model.apply(input, { training: true }) as tf.Tensor;
    const { target, mask } = lossTarget(batch);
    return maskedMse(r, target, mask);
  }
}

/**
 * conv1d-ae: a 4-layer 1-D convolutional autoencoder (for signals such as ECG beats, or windows):
 * Conv1D(f₁, k, stride 2, relu) → Conv1D(f₂, k, stride 2, relu) → UpSampling1D → Conv1D(f₁, k, relu)
 * → UpSampling1D → Conv1D(channels, k). A stage downsamples only when its length is even. In 'rows'
 * layout each row is a signal: the first layer reshapes [N, F] → [N, F, 1], the last back to [N, F].
 * `latent` adds a real bottleneck: the encoder output is flattened into a Dense(latent) code layer and
 * decoded by a Dense back to the encoder's shape. `noise` / `dropout` corrupt the input at train time.
 * `skip: true` builds the U-Net denoiser of conv1d-unet.ts instead (windows only).
 */
export const conv1dAe: ModelDefinition = {
  kind: 'conv1d-ae',
  layouts: ['rows', 'windows'],
  build(ctx) {
    checkConfigKeys('conv1d-ae', ctx.config,
      ['filters', 'kernel', 'latent', 'noise', 'dropout', 'skip', 'per_lead', 'lowpass', 'lowpass_taps', 'highpass']);
    if (ctx.config['per_lead'] !== undefined && ctx.config['skip'] !== true)
      throw new TrainingConfigError('conv1d-ae: per_lead needs skip: true (the U-Net)');
    if (ctx.config['skip'] === true) {
      if (ctx.config['latent'] !== undefined || ctx.config['noise'] !== undefined || ctx.config['dropout'] !== undefined)
        throw new TrainingConfigError('conv1d-ae with skip: true takes only filters, kernel, per_lead, lowpass, lowpass_taps and highpass');
      const { model, resolved } = buildConvUnet(ctx.shape, ctx.rng, ctx.config);
      return new ConvUnet('conv1d-ae', model, null, resolved, ctx.learningRate, {});
    }
    const latent = ctx.config['latent'] === undefined ? null : configInt(ctx.config, 'latent', 1);
    const noise = configNumber(ctx.config, 'noise', 0);
    const dropout = configNumber(ctx.config, 'dropout', 0, 0, 0.9);
    const { shape, rng } = ctx;
    const filters = configInts(ctx.config, 'filters', [32, 16]);
    const kernel = configInt(ctx.config, 'kernel', 7);
    if (filters.length !== 2) throw new TrainingConfigError(`config.filters must list 2 encoder widths, got ${JSON.stringify(filters)}`);
    const { steps, channels } = sequenceView(shape);
    const input = tf.input({ shape: sampleDims(shape), name: 'x' });
    let h: tf.SymbolicTensor = input;
    if (shape.layout === 'rows') h = tf.layers.reshape({ targetShape: [steps, 1], name: 'as_sequence' }).apply(h) as tf.SymbolicTensor;
    const strides: number[] = [];
    let length = steps;
    filters.forEach((f, i) => {
      const s = length % 2 === 0 ? 2 : 1;
      strides.push(s);
      length /= s;
      h = tf.layers
        .conv1d({
          filters: f,
          kernelSize: kernel,
          strides: s,
          padding: 'same',
          activation: 'relu',
          kernelInitializer: seededKernel(rng),
          name: `enc_${i + 1}`,
        })
        .apply(h) as tf.SymbolicTensor;
    });
    if (latent !== null) {
      h = tf.layers.flatten({ name: 'enc_flat' }).apply(h) as tf.SymbolicTensor;
      h = tf.layers.dense({ units: latent, kernelInitializer: seededKernel(rng), name: LATENT_LAYER }).apply(h) as tf.SymbolicTensor;
      h = tf.layers
        .dense({ units: length * filters[1], activation: 'relu', kernelInitializer: seededKernel(rng), name: 'dec_dense' })
        .apply(h) as tf.SymbolicTensor;
      h = tf.layers.reshape({ targetShape: [length, filters[1]], name: 'dec_shape' }).apply(h) as tf.SymbolicTensor;
    }
    const up = (s: number, name: string): void => {
      if (s > 1) h = new UpSampling1D({ size: s, name }).apply(h) as tf.SymbolicTensor;
    };
    up(strides[1], 'up_1');
    h = tf.layers
      .conv1d({
        filters: filters[0],
        kernelSize: kernel,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: seededKernel(rng),
        name: 'dec_1',
      })
      .apply(h) as tf.SymbolicTensor;
    up(strides[0], 'up_2');
    h = tf.layers
      .conv1d({ filters: channels, kernelSize: kernel, padding: 'same', kernelInitializer: seededKernel(rng), name: 'recon' })
      .apply(h) as tf.SymbolicTensor;
    if (shape.layout === 'rows') h = tf.layers.reshape({ targetShape: [steps], name: 'as_row' }).apply(h) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: h, name: 'conv1d_ae' });
    const config = {
      filters,
      kernel,
      strides,
      ...(latent !== null ? { latent } : {}),
      ...(noise > 0 ? { noise } : {}),
      ...(dropout > 0 ? { dropout } : {}),
    };
    return new ConvAutoencoder(
      model,
      latent,
      config,
      ctx.learningRate,
      latent !== null ? { latentLayer: LATENT_LAYER } : {},
      noise,
      dropout,
      ctx.rng.fork(),
    );
  },
};
