import * as tf from '@tensorflow/tfjs';
import { InternalError } from '../../../core/errors';

export interface UpSampling1DConfig {
  size?: number;
  name?: string;
}

/**
 * Keras' UpSampling1D (tfjs-layers has only the 2-D one): repeats each step `size` times,
 * [N, L, C] → [N, L·size, C]. The exporter converts the class name 'UpSampling1D' with config { size }.
 */
export class UpSampling1D extends tf.layers.Layer {
  static className = 'UpSampling1D';
  readonly size: number;

  constructor(config: UpSampling1DConfig = {}) {
    super({ name: config.name });
    this.size = config.size ?? 2;
    if (!Number.isInteger(this.size) || this.size < 1) {
      throw new InternalError(`UpSampling1D size must be a positive integer, got ${this.size}`);
    }
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = inputShape as tf.Shape;
    return [s[0], s[1] === null ? null : s[1] * this.size, s[2]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    // Concat of `size` copies on a new axis (not Tile: tfjs-backend-wasm's Tile and its slice-and-add
    // gradient took a quarter of a conv1d-ae training step).
    return tf.tidy(() => {
      const [n, l, c] = x.shape;
      const e = tf.expandDims(x, 2);
      return tf.reshape(tf.concat(new Array<tf.Tensor>(this.size).fill(e), 2), [n, l * this.size, c]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), size: this.size };
  }
}
tf.serialization.registerClass(UpSampling1D);
