import * as tf from '@tensorflow/tfjs';

/** Test stand-ins for custom layers that tfjs 4.22 lacks; the exporter finds them by class name. */
export class UpSampling1D extends tf.layers.Layer {
  static className = 'UpSampling1D';
  readonly size: number;
  constructor(args: { size: number; name?: string }) {
    super({ name: args.name });
    this.size = args.size;
  }
  override computeOutputShape(s: tf.Shape): tf.Shape {
    return [s[0]!, s[1] == null ? null : s[1] * this.size, s[2]!];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const [n, t, c] = x.shape as [number, number, number];
      return x.expandDims(2).tile([1, 1, this.size, 1]).reshape([n, t * this.size, c]);
    });
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), size: this.size };
  }
}

export class Subtract extends tf.layers.Layer {
  static className = 'Subtract';
  override computeOutputShape(s: tf.Shape[]): tf.Shape {
    return s[0]!;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [a, b] = inputs as tf.Tensor[];
    return tf.sub(a!, b!);
  }
}

/** VAE reparameterization z = mean + exp(0.5 log_var) * eps; exported as its mean path. */
export class VaeSampling extends tf.layers.Layer {
  static className = 'VaeSampling';
  override computeOutputShape(s: tf.Shape[]): tf.Shape {
    return s[0]!;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [mean] = inputs as tf.Tensor[];
    return tf.clone(mean!); // predict-time mean path
  }
}

for (const cls of [UpSampling1D, Subtract, VaeSampling]) tf.serialization.registerClass(cls);
