import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng';
import { TrainingConfigError } from '../errors';
import { baselineMatrix } from '../../core/signal/baseline';
import { lowpassFir } from '../../core/signal/fir';
import { configInt, configInts, configNumber, seededKernel } from './common';
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
 * `per_lead: true` runs the same network on each lead alone (Conv2D [k, 1] over the window as a [T, leads, 1] image,
 * UpSampling2D [2, 1], a 1-channel correction). `lowpass` (cycles per sample, with per_lead) adds the filter branch:
 * a fixed zero-phase low-pass FIR of `lowpass_taps` taps (core/signal/fir.ts) as a non-trainable Conv2D; the
 * network sees only the low-pass, and the output is low-pass + correction. `highpass` (cycles per sample, with lowpass)
 * makes the branch a band-pass: the window's baseline (core/signal/baseline.ts: a T × T zero-phase low-pass at that
 * cut-off, renormalised at the window's edges) is subtracted by a fixed Dense layer over the time axis.
 */
export function buildConvUnet(
  shape: SampleShape, rng: Rng, config: Record<string, unknown>,
): { model: tf.LayersModel; resolved: Record<string, unknown> } {
  if (shape.layout !== 'windows') throw new TrainingConfigError(`conv1d-ae with skip connections needs windows (--window)`);
  const filters = configInts(config, 'filters', UNET_DEFAULT_FILTERS);
  const kernel = configInt(config, 'kernel', UNET_DEFAULT_KERNEL);
  const perLead = config['per_lead'] === true;
  if (config['per_lead'] !== undefined && typeof config['per_lead'] !== 'boolean')
    throw new TrainingConfigError('config.per_lead must be true or false');
  const lowpass = config['lowpass'] === undefined ? null : configNumber(config, 'lowpass', 0.1, 1e-6, 0.4999);
  const taps = lowpass === null ? 0 : configInt(config, 'lowpass_taps', 101, 3);
  if (lowpass !== null && !perLead) throw new TrainingConfigError('config.lowpass needs per_lead: true');
  if (lowpass !== null && taps % 2 === 0) throw new TrainingConfigError(`config.lowpass_taps must be odd, got ${taps}`);
  // highpass 0 (or absent): no high-pass
  const highpass = config['highpass'] === undefined || config['highpass'] === 0
    ? null : configNumber(config, 'highpass', 0.001, 1e-6, 0.4999);
  if (highpass !== null && (lowpass === null || highpass >= lowpass))
    throw new TrainingConfigError('config.highpass needs lowpass, and a cut-off below it');
  const steps = shape.steps!;
  const channels = shape.features;
  const levels = filters.length - 1;
  if (levels < 1) throw new TrainingConfigError(`config.filters must list at least 2 widths for skip connections`);
  if (steps % 2 ** levels !== 0)
    throw new TrainingConfigError(`--window ${steps} must be divisible by ${2 ** levels} for ${levels} down-sampling levels`);
  // per lead: the window [T, F] is an image [T, F, 1] and every convolution a [k, 1] Conv2D, so each lead is denoised
  // by the same weights on its own (12 leads are 12 training signals, and the width is not shared between leads)
  const conv = (h: tf.SymbolicTensor, f: number, name: string, strides = 1, k = kernel, activation: 'relu' | 'linear' = 'relu') => {
    // the correction starts at zero, so the untrained model is exactly the identity
    const common = { filters: f, padding: 'same' as const, activation, name,
      kernelInitializer: name === 'correction' ? 'zeros' as const : seededKernel(rng) };
    const layer = perLead
      ? tf.layers.conv2d({ ...common, kernelSize: [k, 1], strides: [strides, 1] })
      : tf.layers.conv1d({ ...common, kernelSize: k, strides });
    return layer.apply(h) as tf.SymbolicTensor;
  };
  const up = (h: tf.SymbolicTensor, name: string) =>
    (perLead ? tf.layers.upSampling2d({ size: [2, 1], name }) : new UpSampling1D({ size: 2, name })).apply(h) as tf.SymbolicTensor;
  const input = tf.input({ shape: sampleDims(shape), name: 'x' });
  const skips: tf.SymbolicTensor[] = [];
  let h = perLead
    ? (tf.layers.reshape({ targetShape: [steps, channels, 1], name: 'leads_as_image' }).apply(input) as tf.SymbolicTensor)
    : input;
  // the filter branch: a fixed zero-phase low-pass FIR (lowpass cycles/sample); the network sees only the low-pass
  // (so what the filter removed — power line, EMG above the cut-off — cannot come back) and its correction is added
  // to it, so the untrained model (or a zeroed correction: the gate's fallback) is that filter
  let base = input;
  if (lowpass !== null) {
    const fir = tf.layers.conv2d({ filters: 1, kernelSize: [taps, 1], padding: 'same', useBias: false, trainable: false, name: 'lowpass' });
    const filtered = fir.apply(h) as tf.SymbolicTensor;
    h = filtered;
    base = tf.layers.reshape({ targetShape: [steps, channels], name: 'lowpass_as_window' }).apply(filtered) as tf.SymbolicTensor;
    if (highpass !== null) {
      // −baseline over the time axis: [T, F] → [F, T] · (−B)ᵀ → [T, F]; the network then sees the band-pass
      const leadsFirst = tf.layers.permute({ dims: [2, 1], name: 'leads_first' }).apply(input) as tf.SymbolicTensor;
      const dense = tf.layers.dense({ units: steps, useBias: false, trainable: false, name: 'baseline' });
      const negBaseline = tf.layers.permute({ dims: [2, 1], name: 'baseline_as_window' })
        .apply(dense.apply(leadsFirst) as tf.SymbolicTensor) as tf.SymbolicTensor;
      base = tf.layers.add({ name: 'bandpass' }).apply([base, negBaseline]) as tf.SymbolicTensor;
      h = tf.layers.reshape({ targetShape: [steps, channels, 1], name: 'bandpass_as_image' }).apply(base) as tf.SymbolicTensor;
    }
  }
  h = conv(h, filters[0]!, 'stem');
  for (let i = 1; i <= levels; i++) {
    skips.push(h);
    h = conv(h, filters[i]!, `down_${i}`, 2);
  }
  for (let i = levels; i >= 1; i--) {
    h = up(h, `up_${i}`);
    h = conv(h, filters[i - 1]!, `up_conv_${i}`);
    h = tf.layers.concatenate({ name: `skip_${i}` }).apply([h, skips[i - 1]!]) as tf.SymbolicTensor;
    h = conv(h, filters[i - 1]!, `merge_${i}`);
  }
  let correction = conv(h, perLead ? 1 : channels, 'correction', 1, 1, 'linear');
  if (perLead)
    correction = tf.layers.reshape({ targetShape: [steps, channels], name: 'leads_as_window' }).apply(correction) as tf.SymbolicTensor;
  const out = tf.layers.add({ name: 'denoised' }).apply([base, correction]) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out, name: 'conv1d_unet' });
  if (lowpass !== null) model.getLayer('lowpass').setWeights([tf.tensor4d(lowpassFir(lowpass, taps), [taps, 1, 1, 1])]);
  if (highpass !== null)
    model.getLayer('baseline').setWeights([tf.tensor2d(negTranspose(baselineMatrix(highpass, steps), steps), [steps, steps])]);
  return {
    model,
    resolved: {
      skip: true, filters, kernel, ...(perLead ? { per_lead: true } : {}), ...(lowpass !== null ? { lowpass, lowpass_taps: taps } : {}),
      ...(highpass !== null ? { highpass } : {}),
    },
  };
}

/** −Mᵀ of a t × t row-major matrix (a Dense kernel [in, out] computing y = −M·x). */
function negTranspose(m: Float32Array, t: number): Float32Array {
  const out = new Float32Array(t * t);
  for (let i = 0; i < t; i++) for (let j = 0; j < t; j++) out[j * t + i] = -m[i * t + j]!;
  return out;
}

/** The U-Net as a reconstruction model trained with masked MSE on (noisy → clean) pairs. */
export class ConvUnet extends ReconstructionModel {}
