import * as tf from '@tensorflow/tfjs';

/**
 * Keras' RepeatVector ([N, U] → [N, n, U]) computed as a broadcast multiply with ones, whose gradient
 * is a single Sum. tfjs-layers' RepeatVector uses Tile, whose gradient is n Slice + Add kernels (a sixth
 * of an lstm-ae training step on WASM). Same class name and config ({ n }), so it exports as RepeatVector.
 */
export class BroadcastRepeatVector extends tf.layers.Layer {
  static className = 'RepeatVector';
  readonly n: number;

  constructor(args: { n: number; name?: string }) {
    super({ name: args.name });
    if (!Number.isInteger(args.n) || args.n < 1) throw new RangeError(`RepeatVector n must be a positive integer, got ${args.n}`);
    this.n = args.n;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = inputShape as tf.Shape;
    return [s[0], this.n, s[1]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.tidy(() => tf.mul(tf.expandDims(x, 1), tf.ones([1, this.n, 1])));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), n: this.n };
  }
}
