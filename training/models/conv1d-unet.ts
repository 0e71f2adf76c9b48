import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng';
import { TrainingConfigError } from '../errors';
import { configInt, configInts, seededKernel } from './common';
import { ReconstructionModel, sampleDims } from './dense-ae';
import { UpSampling1D } from './layers/up-sampling-1d';
import type { SampleShape } from './types';

/** Encoder widths of the default U-Net (one per level; each level halves the length). */
export const UNET_DEFAULT_FILTERS = [8, 16, 24, 32];
export const UNET_DEFAULT_KERNEL = 7;

/**
 * conv1d-ae with `skip: true`: a 1-D convolutional encoder–decoder with skip connections (a U-Net, Ronneberger
 * et al. 2015, in 1-D as used for ECG denoising) and a residual output (DnCNN-style: the network predicts the
 * correction that is added to its input, so the identity is its starting point and abnormal beats it has not
 * seen are passed through rather than replaced by an average beat).
 *   stem   Conv1D(f₁, k, relu) at full length
 *   down   per level i: Conv1D(f_i, k, stride 2, relu)
 *   up     per level, deepest first: UpSampling1D(2) → Conv1D(f, k, relu) → Concatenate with the encoder output
 *          of the same length → Conv1D(f, k, relu)
 *   out    Conv1D(channels, 1), zero-initialised, + input
 * The window length must be divisible by 2^levels. Exported with the existing Conv1D, UpSampling1D, Concatenate
 * and Add converters.
 */
export function buildConvUnet(
  shape: SampleShape, rng: Rng, config: Record<string, unknown>,
): { model: tf.LayersModel; resolved: Record<string, unknown> } {
  if (shape.layout !== 'windows') throw new TrainingConfigError(`conv1d-ae with skip connections needs windows (--window)`);
  const filters = configInts(config, 'filters', UNET_DEFAULT_FILTERS);
  const kernel = configInt(config, 'kernel', UNET_DEFAULT_KERNEL);
  const steps = shape.steps!;
  const channels = shape.features;
  const levels = filters.length - 1;
  if (levels < 1) throw new TrainingConfigError(`config.filters must list at least 2 widths for skip connections`);
  if (steps % 2 ** levels !== 0)
    throw new TrainingConfigError(`--window ${steps} must be divisible by ${2 ** levels} for ${levels} down-sampling levels`);
  const conv = (h: tf.SymbolicTensor, f: number, name: string, strides = 1, k = kernel, activation: 'relu' | 'linear' = 'relu') =>
    tf.layers
      .conv1d({
        filters: f, kernelSize: k, strides, padding: 'same', activation, name,
        // the correction starts at zero, so the untrained model is exactly the identity
        kernelInitializer: name === 'correction' ? 'zeros' : seededKernel(rng),
      })
      .apply(h) as tf.SymbolicTensor;
  const input = tf.input({ shape: sampleDims(shape), name: 'x' });
  const skips: tf.SymbolicTensor[] = [];
  let h = conv(input, filters[0]!, 'stem');
  for (let i = 1; i <= levels; i++) {
    skips.push(h);
    h = conv(h, filters[i]!, `down_${i}`, 2);
  }
  for (let i = levels; i >= 1; i--) {
    h = new UpSampling1D({ size: 2, name: `up_${i}` }).apply(h) as tf.SymbolicTensor;
    h = conv(h, filters[i - 1]!, `up_conv_${i}`);
    h = tf.layers.concatenate({ name: `skip_${i}` }).apply([h, skips[i - 1]!]) as tf.SymbolicTensor;
    h = conv(h, filters[i - 1]!, `merge_${i}`);
  }
  const correction = conv(h, channels, 'correction', 1, 1, 'linear');
  const out = tf.layers.add({ name: 'denoised' }).apply([input, correction]) as tf.SymbolicTensor;
  return { model: tf.model({ inputs: input, outputs: out, name: 'conv1d_unet' }), resolved: { skip: true, filters, kernel } };
}

/** The U-Net as a reconstruction model trained with masked MSE on (noisy → clean) pairs. */
export class ConvUnet extends ReconstructionModel {}
