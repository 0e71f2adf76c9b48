import * as tf from '@tensorflow/tfjs';
import { TrainingConfigError } from '../../errors';
import type { ZooModel } from '../types';
import type { FittedImputer } from './fit-imputer';

/**
 * The fitted auto imputer as a ZooModel. Its ONNX graph (export-imputer.ts) is what fills; `model` is a
 * one-layer stand-in for the library's TrainResult (scaled x → the column means, no weights of its own:
 * the imputer is fitted in closed form and has no tfjs graph).
 */
export class AutoImputer implements ZooModel {
  readonly kind = 'auto' as const;
  readonly head = {};
  readonly latentDim = null;
  readonly config: Record<string, unknown>;
  readonly model: tf.LayersModel;

  constructor(readonly fitted: FittedImputer) {
    this.config = fitted.config;
    const f = fitted.parts.features;
    const dense = tf.layers.dense({ units: f, inputShape: [f], kernelInitializer: 'zeros', name: 'auto_impute_mean' });
    this.model = tf.sequential({ layers: [dense] });
    const bias = tf.tensor1d(Float32Array.from(fitted.parts.mean));
    const kernel = tf.zeros([f, f]);
    dense.setWeights([kernel, bias]);
    tf.dispose([kernel, bias]);
  }

  trainStep(): tf.Scalar {
    throw new TrainingConfigError('auto (impute) is fitted in closed form; it has no gradient steps');
  }

  evalLoss(): tf.Scalar {
    throw new TrainingConfigError('auto (impute) is fitted in closed form; it has no validation loss');
  }

  private disposed = false;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.dispose();
  }
}
