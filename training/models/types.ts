import type * as tf from '@tensorflow/tfjs';
import type { ModelKind } from '../../core/model-kind';
import type { Rng } from '../../core/rng';

export type Layout = 'rows' | 'windows';

/** What a sample looks like: [F] ('rows') or [T, F] ('windows'). */
export interface SampleShape {
  layout: Layout;
  features: number;
  /** T for 'windows', null for 'rows'. */
  steps: number | null;
}

/** One training batch in scaled space: missing cells of `x` are 0, `mask` is 1 where observed. */
export interface Batch {
  x: tf.Tensor;
  mask: tf.Tensor;
  /**
   * The clean target when training on (input, target) pairs (TrainingData.target), scaled like x;
   * `targetMask` is 1 where the target is observed. Absent: the target is x itself.
   */
  target?: tf.Tensor;
  targetMask?: tf.Tensor;
}

export interface BuildContext {
  shape: SampleShape;
  /** Seeds initializers, corruption noise and anything else random in the model. */
  rng: Rng;
  /** Kind-specific hyper-parameters from the user (`--config`), unknown keys rejected by the kind. */
  config: Record<string, unknown>;
  learningRate: number;
}

/** How the exporter's scoring head wraps `model` (see training/export ScoringHeadOptions). */
export interface HeadHints {
  maskInput?: boolean;
  iterations?: number;
  latentLayer?: string;
}

/**
 * A built model of one kind. `model` is what gets exported: scaled x (and the mask when
 * `head.maskInput`) → scaled reconstruction. `fit`-style state changes happen only in trainStep/fitClosedForm.
 */
export interface ZooModel {
  readonly kind: ModelKind;
  readonly model: tf.LayersModel;
  readonly head: HeadHints;
  readonly latentDim: number | null;
  /** The resolved hyper-parameters (recorded in the manifest). */
  readonly config: Record<string, unknown>;
  /** One optimization step on a batch; returns the batch's training loss (caller disposes). */
  trainStep(batch: Batch): tf.Scalar;
  /** The loss early stopping watches, computed in inference mode (caller disposes). */
  evalLoss(batch: Batch): tf.Scalar;
  /** True when trainStep/evalLoss honour Batch.target (denoisers trained on noisy → clean pairs). */
  readonly acceptsTarget?: boolean;
  /** For closed-form kinds (pca): fits from all training samples at once; gradient epochs are skipped. */
  fitClosedForm?(x: Float32Array, mask: Float32Array, count: number): void;
  /** Every variable the model owns (including optimizer-side models such as GAIN's discriminator). */
  dispose(): void;
}

export interface ModelDefinition {
  readonly kind: ModelKind;
  /** Layouts the kind supports; the first is its default when no window is given. */
  readonly layouts: readonly Layout[];
  build(ctx: BuildContext): ZooModel;
}
