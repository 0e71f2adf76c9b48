import * as tf from '@tensorflow/tfjs';

/** A custom `Subtract` layer (tfjs 4.22 has none); the exporter finds it by class name. */
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

tf.serialization.registerClass(Subtract);
