import * as tf from '@tensorflow/tfjs';

export interface VaeSamplingConfig {
  /** Seed of the first noise draw; each training call advances it, so runs repeat exactly. */
  seed?: number;
  name?: string;
}

/**
 * The VAE reparameterization [z_mean, z_log_var] → z. Training: z = μ + exp(½·log σ²)·ε, ε ~ N(0, I).
 * Inference: z = μ (the exporter converts this class as its mean path, so scores are taken at μ).
 */
export class VaeSampling extends tf.layers.Layer {
  static className = 'VaeSampling';
  private seed: number;

  constructor(config: VaeSamplingConfig = {}) {
    super({ name: config.name });
    this.seed = config.seed ?? 1;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (inputShape as tf.Shape[])[0];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const [mean, logVar] = inputs as tf.Tensor[];
    if (!kwargs['training']) return mean.clone();
    const seed = this.seed;
    this.seed = (this.seed * 1103515245 + 12345) % 2147483647;
    return tf.tidy(() => tf.add(mean, tf.mul(tf.exp(tf.mul(logVar, 0.5)), tf.randomNormal(mean.shape, 0, 1, 'float32', seed))));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), seed: this.seed };
  }
}
tf.serialization.registerClass(VaeSampling);
