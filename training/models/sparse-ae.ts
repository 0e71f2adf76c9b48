import * as tf from '@tensorflow/tfjs';
import { createAdam, type StepOptimizer } from '../fused-adam';
import { checkConfigKeys, configNumber, lossTarget, maskedMse, trainableVariables } from './common';
import { buildDenseAutoencoder, LATENT_LAYER } from './dense-ae';
import type { Batch, ModelDefinition, ZooModel } from './types';

/**
 * sparse-ae: the dense autoencoder trained with an L1 activity penalty on the code,
 * loss = masked MSE + l1 · mean over samples of Σ|code|.
 */
class SparseAutoencoder implements ZooModel {
  readonly kind = 'sparse-ae' as const;
  readonly head = { latentLayer: LATENT_LAYER };
  private readonly optimizer: StepOptimizer;
  readonly acceptsTarget = true;

  constructor(
    readonly model: tf.LayersModel,
    private readonly withCode: tf.LayersModel,
    readonly latentDim: number,
    readonly config: Record<string, unknown>,
    private readonly l1: number,
    learningRate: number,
  ) {
    this.optimizer = createAdam(trainableVariables(model), learningRate);
  }

  trainStep(batch: Batch): tf.Scalar {
    return this.optimizer.minimize(() => {
      const [r, code] = this.withCode.apply(batch.x, { training: true }) as tf.Tensor[];
      const { target, mask } = lossTarget(batch);
      return tf.add(maskedMse(r, target, mask), tf.mul(this.l1, tf.div(tf.sum(tf.abs(code)), code.shape[0]))) as tf.Scalar;
    });
  }

  evalLoss(batch: Batch): tf.Scalar {
    const { target, mask } = lossTarget(batch);
    return tf.tidy(() => maskedMse(this.model.apply(batch.x) as tf.Tensor, target, mask));
  }

  dispose(): void {
    this.optimizer.dispose();
    // model shares every layer with withCode; one dispose frees them (a second would throw).
    this.withCode.dispose();
  }
}

export const sparseAe: ModelDefinition = {
  kind: 'sparse-ae',
  layouts: ['rows', 'windows'],
  build(ctx) {
    checkConfigKeys('sparse-ae', ctx.config, ['hidden', 'latent', 'l1']);
    const l1 = configNumber(ctx.config, 'l1', 1e-3);
    const { model: withCode, hidden, latent } = buildDenseAutoencoder(ctx, 'sparse_ae_train', true);
    const model = tf.model({ inputs: withCode.inputs, outputs: withCode.outputs[0], name: 'sparse_ae' });
    return new SparseAutoencoder(model, withCode, latent, { hidden, latent, l1 }, l1, ctx.learningRate);
  },
};
