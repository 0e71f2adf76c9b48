import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../training/backend';
import { BroadcastRepeatVector } from '../../training/models/layers/broadcast-repeat-vector';

describe.each(['cpu', 'wasm'] as const)('BroadcastRepeatVector on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });
  afterAll(async () => {
    await selectBackend('cpu');
  });

  it('repeats [N, U] into [N, n, U] as tfjs-layers RepeatVector does', () => {
    const x = tf.randomNormal([3, 5], 0, 1, 'float32', 1);
    const want = tf.layers.repeatVector({ n: 4 }).apply(x) as tf.Tensor;
    const got = new BroadcastRepeatVector({ n: 4 }).apply(x) as tf.Tensor;
    expect(got.shape).toEqual([3, 4, 5]);
    expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
  });

  it('sums the gradient over the n copies', () => {
    const x = tf.randomNormal([3, 5], 0, 1, 'float32', 2);
    const w = tf.randomNormal([3, 4, 5], 0, 1, 'float32', 3);
    const layer = new BroadcastRepeatVector({ n: 4 });
    const got = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(layer.apply(xx) as tf.Tensor, w)))(x);
    const want = tf.sum(w, 1);
    expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]).toBeLessThan(1e-5);
  });
});
