import * as tf from '@tensorflow/tfjs';
import { InternalError } from '../../../core/errors';

/**
 * Keras' RepeatVector ([N, U] → [N, n, U]) with a cheap gradient. tfjs-layers' RepeatVector uses Tile,
 * whose gradient is n Slice + Add kernels (a sixth of an lstm-ae training step on WASM). On backends
 * whose tensors live in host memory ('wasm', 'cpu') it is one custom op (copy forward, sum over the n
 * copies backward, plain loops: the 'cpu' backend's broadcasting binary op allocates per element);
 * elsewhere a broadcast multiply with ones, whose gradient is a single Sum. Same class name and config
 * ({ n }), so it exports as RepeatVector.
 */
export class BroadcastRepeatVector extends tf.layers.Layer {
  static className = 'RepeatVector';
  readonly n: number;

  constructor(args: { n: number; name?: string }) {
    super({ name: args.name });
    if (!Number.isInteger(args.n) || args.n < 1) throw new InternalError(`RepeatVector n must be a positive integer, got ${args.n}`);
    this.n = args.n;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = inputShape as tf.Shape;
    return [s[0], this.n, s[1]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const backend = tf.getBackend();
    if (backend === 'wasm' || backend === 'cpu') return repeatOnHost(x, this.n);
    return tf.tidy(() => tf.mul(tf.expandDims(x, 1), tf.ones([1, this.n, 1])));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), n: this.n };
  }
}

/**
 * The source of each tensor repeatOnHost made ([N, U] and n): a fused LSTM fed by one reads its input
 * from the source (the repeated tensor is then left out of the gradient).
 */
const repeatedFrom = new WeakMap<tf.Tensor, { source: tf.Tensor; n: number }>();

export function repeatSource(t: tf.Tensor): { source: tf.Tensor; n: number } | undefined {
  const r = repeatedFrom.get(t);
  return r && !r.source.isDisposed ? r : undefined;
}

/** x [N, U] → [N, n, U] as one differentiable op over host arrays. */
export function repeatOnHost(x: tf.Tensor, n: number): tf.Tensor {
  const op = tf.customGrad(((xi: tf.Tensor) => {
    const [N, U] = xi.shape as [number, number];
    const v = xi.dataSync() as Float32Array;
    const out = new Float32Array(N * n * U);
    for (let i = 0; i < N; i++) {
      const row = v.subarray(i * U, (i + 1) * U);
      for (let t = 0; t < n; t++) out.set(row, (i * n + t) * U);
    }
    const gradFunc = (dy: tf.Tensor): tf.Tensor => {
      const g = dy.dataSync() as Float32Array;
      const dx = new Float32Array(N * U);
      for (let i = 0; i < N; i++) {
        for (let t = 0; t < n; t++) {
          const at = (i * n + t) * U;
          for (let u = 0; u < U; u++) dx[i * U + u] += g[at + u]!;
        }
      }
      return tf.tensor(dx, [N, U]);
    };
    return { value: tf.tensor(out, [N, n, U]), gradFunc };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor) => tf.Tensor;
  const y = op(x);
  repeatedFrom.set(y, { source: x, n });
  return y;
}
