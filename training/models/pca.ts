import * as tf from '@tensorflow/tfjs';
import { symmetricEigen } from '../linalg';
import { TrainingConfigError } from '../errors';
import { checkConfigKeys, configInt, configNumber, maskedMse } from './common';
import { LATENT_LAYER, sampleDims, sampleSize } from './dense-ae';
import type { Batch, ModelDefinition, SampleShape, ZooModel } from './types';

/**
 * pca: the linear baseline, fitted in closed form. Mean μ and covariance of the (scaled) training
 * samples — missing cells imputed with the feature mean — then the top-k eigenvectors W of the
 * covariance (Jacobi). Exported as two Dense layers: code = (x − μ)·W, reconstruction = code·Wᵀ + μ.
 * k is `components`, or the fewest components explaining `variance` (default 0.9) of the variance.
 */
class PcaModel implements ZooModel {
  readonly kind = 'pca' as const;
  readonly head = { latentLayer: LATENT_LAYER };
  model: tf.LayersModel;
  latentDim: number;
  config: Record<string, unknown>;

  constructor(private readonly shape: SampleShape, private readonly components: number | undefined, private readonly variance: number) {
    this.latentDim = components ?? 1;
    this.model = buildLinear(shape, this.latentDim);
    this.config = { components: this.latentDim, variance };
  }

  fitClosedForm(x: Float32Array, mask: Float32Array, count: number): void {
    const d = sampleSize(this.shape);
    if (count < 2) throw new TrainingConfigError(`pca needs at least 2 training samples, got ${count}`);
    if (this.components !== undefined && this.components > d)
      throw new TrainingConfigError(`config.components must be <= ${d} (the sample size), got ${this.components}`);
    const mean = new Float64Array(d);
    const seen = new Float64Array(d);
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < d; j++) {
        if (mask[i * d + j] > 0.5) {
          mean[j] += x[i * d + j];
          seen[j]++;
        }
      }
    }
    for (let j = 0; j < d; j++) mean[j] = seen[j] ? mean[j] / seen[j] : 0;
    const cov = new Float64Array(d * d);
    const row = new Float64Array(d);
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < d; j++) row[j] = mask[i * d + j] > 0.5 ? x[i * d + j] - mean[j] : 0;
      for (let p = 0; p < d; p++) {
        const rp = row[p];
        if (rp === 0) continue;
        for (let q = p; q < d; q++) cov[p * d + q] += rp * row[q];
      }
    }
    for (let p = 0; p < d; p++) {
      for (let q = p; q < d; q++) {
        cov[p * d + q] /= count - 1;
        cov[q * d + p] = cov[p * d + q];
      }
    }
    const { values, vectors } = symmetricEigen(cov, d);
    let k = this.components;
    if (k === undefined) {
      const total = values.reduce((s, v) => s + Math.max(v, 0), 0);
      let acc = 0;
      k = d;
      for (let i = 0; i < d; i++) {
        acc += Math.max(values[i], 0);
        if (acc >= this.variance * total) {
          k = i + 1;
          break;
        }
      }
      k = Math.max(1, Math.min(k, Math.max(1, d - 1)));
    }
    const w = new Float32Array(d * k);
    for (let i = 0; i < d; i++) for (let c = 0; c < k; c++) w[i * k + c] = vectors[i * d + c];
    const wt = new Float32Array(k * d);
    for (let i = 0; i < d; i++) for (let c = 0; c < k; c++) wt[c * d + i] = w[i * k + c];
    const encBias = new Float32Array(k);
    for (let c = 0; c < k; c++) for (let i = 0; i < d; i++) encBias[c] -= mean[i] * w[i * k + c];
    if (k !== this.latentDim) {
      this.model.dispose();
      this.model = buildLinear(this.shape, k);
      this.latentDim = k;
    }
    this.config = {
      components: k,
      variance: this.variance,
      explained_variance:
        values.slice(0, k).reduce((s, v) => s + v, 0) /
        Math.max(
          values.reduce((s, v) => s + Math.max(v, 0), 0),
          1e-300,
        ),
    };
    const weights = [tf.tensor(w, [d, k]), tf.tensor(encBias, [k]), tf.tensor(wt, [k, d]), tf.tensor(Float32Array.from(mean), [d])];
    this.model.setWeights(weights);
    weights.forEach((t) => t.dispose());
  }

  trainStep(): tf.Scalar {
    throw new TrainingConfigError('pca is fitted in closed form; it has no gradient steps');
  }

  evalLoss(batch: Batch): tf.Scalar {
    return tf.tidy(() => maskedMse(this.model.apply(batch.x) as tf.Tensor, batch.x, batch.mask));
  }

  dispose(): void {
    this.model.dispose();
  }
}

function buildLinear(shape: SampleShape, k: number): tf.LayersModel {
  const d = sampleSize(shape);
  const input = tf.input({ shape: sampleDims(shape), name: 'x' });
  let h: tf.SymbolicTensor = input;
  if (shape.layout === 'windows') h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
  const code = tf.layers.dense({ units: k, name: LATENT_LAYER, kernelInitializer: 'zeros' }).apply(h) as tf.SymbolicTensor;
  let out = tf.layers.dense({ units: d, name: 'recon', kernelInitializer: 'zeros' }).apply(code) as tf.SymbolicTensor;
  if (shape.layout === 'windows')
    out = tf.layers.reshape({ targetShape: sampleDims(shape), name: 'recon_shape' }).apply(out) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'pca' });
}

export const pca: ModelDefinition = {
  kind: 'pca',
  layouts: ['rows', 'windows'],
  build(ctx) {
    checkConfigKeys('pca', ctx.config, ['components', 'variance']);
    const components = ctx.config['components'] === undefined ? undefined : configInt(ctx.config, 'components', 1);
    const variance = configNumber(ctx.config, 'variance', 0.9, 1e-6, 1);
    return new PcaModel(ctx.shape, components, variance);
  },
};
