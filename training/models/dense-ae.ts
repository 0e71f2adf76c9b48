import * as tf from '@tensorflow/tfjs';
import { createAdam, type StepOptimizer } from '../fused-adam';
import {
  checkConfigKeys,
  configInt,
  configNumber,
  defaultDenseWidths,
  lossTarget,
  maskedMse,
  perSampleMse,
  seededKernel,
  trainableVariables,
  trimWeights,
} from './common';
import type { Batch, BuildContext, HeadHints, ModelDefinition, SampleShape, ZooModel } from './types';
import type { ModelKind } from '../../core/model-kind';

export const LATENT_LAYER = 'code';

export interface DenseAutoencoderParts {
  model: tf.LayersModel;
  /** The code layer's symbolic output (for activity penalties). */
  hidden: number;
  latent: number;
}

/**
 * The dense encoder–decoder shared by dense-ae, sparse-ae and denoising-ae:
 * x → Dense(hidden, relu) → Dense(latent) 'code' → Dense(hidden, relu) → Dense(F) (windows are
 * flattened in and reshaped out). `codeOutput` adds the code as a second output (for sparse-ae's penalty);
 * `maskInput` adds a second input, the observed mask, concatenated to x (the model then takes [x, mask]).
 */
export function buildDenseAutoencoder(ctx: BuildContext, name: string, codeOutput = false, maskInput = false): DenseAutoencoderParts {
  const { shape, config, rng } = ctx;
  const size = sampleSize(shape);
  const widths = defaultDenseWidths(size);
  const hidden = configInt(config, 'hidden', widths.hidden);
  const latent = configInt(config, 'latent', widths.latent);
  const input = tf.input({ shape: sampleDims(shape), name: 'x' });
  const maskIn = maskInput ? tf.input({ shape: sampleDims(shape), name: 'mask' }) : null;
  let h: tf.SymbolicTensor = input;
  if (shape.layout === 'windows') h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
  if (maskIn) {
    const m = shape.layout === 'windows' ? tf.layers.flatten().apply(maskIn) as tf.SymbolicTensor : maskIn;
    h = tf.layers.concatenate({ name: 'with_mask' }).apply([h, m]) as tf.SymbolicTensor;
  }
  h = tf.layers
    .dense({ units: hidden, activation: 'relu', kernelInitializer: seededKernel(rng), name: 'enc_1' })
    .apply(h) as tf.SymbolicTensor;
  const code = tf.layers.dense({ units: latent, kernelInitializer: seededKernel(rng), name: LATENT_LAYER }).apply(h) as tf.SymbolicTensor;
  h = tf.layers
    .dense({ units: hidden, activation: 'relu', kernelInitializer: seededKernel(rng), name: 'dec_1' })
    .apply(code) as tf.SymbolicTensor;
  let out = tf.layers.dense({ units: size, kernelInitializer: seededKernel(rng), name: 'recon' }).apply(h) as tf.SymbolicTensor;
  if (shape.layout === 'windows')
    out = tf.layers.reshape({ targetShape: sampleDims(shape), name: 'recon_shape' }).apply(out) as tf.SymbolicTensor;
  const model = tf.model({ inputs: maskIn ? [input, maskIn] : input, outputs: codeOutput ? [out, code] : out, name });
  return { model, hidden, latent };
}

export function sampleDims(shape: SampleShape): number[] {
  return shape.layout === 'windows' ? [shape.steps!, shape.features] : [shape.features];
}

export function sampleSize(shape: SampleShape): number {
  return shape.layout === 'windows' ? shape.steps! * shape.features : shape.features;
}

/** Plain reconstruction training of a single-output model with masked MSE and Adam (against Batch.target when given). */
export class ReconstructionModel implements ZooModel {
  private readonly optimizer: StepOptimizer;
  readonly acceptsTarget = true;

  constructor(
    readonly kind: ModelKind,
    readonly model: tf.LayersModel,
    readonly latentDim: number | null,
    readonly config: Record<string, unknown>,
    learningRate: number,
    readonly head: HeadHints = { latentLayer: LATENT_LAYER },
    /** Trimmed loss: the fraction of samples with the largest loss each batch (and in evalLoss) left out. */
    private readonly trim = 0,
  ) {
    this.optimizer = createAdam(trainableVariables(model), learningRate);
  }

  trainStep(batch: Batch): tf.Scalar {
    if (this.trim <= 0) return this.optimizer.minimize(() => this.trainLoss(batch));
    const { target, mask } = lossTarget(batch);
    const weights = tf.tidy(() => trimWeights(perSampleMse(this.model.apply(batch.x) as tf.Tensor, target, mask), this.trim));
    const loss = this.optimizer.minimize(() => {
      const losses = perSampleMse(this.model.apply(batch.x, { training: true }) as tf.Tensor, target, mask);
      return tf.div(tf.sum(tf.mul(losses, weights)), tf.maximum(tf.sum(weights), 1)) as tf.Scalar;
    });
    weights.dispose();
    return loss;
  }

  /** The training objective; subclasses add penalties or corrupt the input. */
  protected trainLoss(batch: Batch): tf.Scalar {
    const r = this.model.apply(batch.x, { training: true }) as tf.Tensor;
    const { target, mask } = lossTarget(batch);
    return maskedMse(r, target, mask);
  }

  evalLoss(batch: Batch): tf.Scalar {
    const { target, mask } = lossTarget(batch);
    return tf.tidy(() => {
      const r = this.model.apply(batch.x) as tf.Tensor;
      if (this.trim <= 0) return maskedMse(r, target, mask);
      const losses = perSampleMse(r, target, mask);
      const w = trimWeights(losses, this.trim);
      return tf.div(tf.sum(tf.mul(losses, w)), tf.maximum(tf.sum(w), 1)) as tf.Scalar;
    });
  }

  dispose(): void {
    this.optimizer.dispose();
    this.model.dispose();
  }
}

export const denseAe: ModelDefinition = {
  kind: 'dense-ae',
  layouts: ['rows', 'windows'],
  build(ctx) {
    checkConfigKeys('dense-ae', ctx.config, ['hidden', 'latent', 'trim']);
    const trim = configNumber(ctx.config, 'trim', 0, 0, 0.5);
    const { model, hidden, latent } = buildDenseAutoencoder(ctx, 'dense_ae');
    return new ReconstructionModel(
      'dense-ae',
      model,
      latent,
      { hidden, latent, ...(trim > 0 ? { trim } : {}) },
      ctx.learningRate,
      { latentLayer: LATENT_LAYER },
      trim,
    );
  },
};
