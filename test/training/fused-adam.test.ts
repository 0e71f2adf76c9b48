import * as tf from '@tensorflow/tfjs';
import { FusedAdam } from '../../training/fused-adam';

describe('FusedAdam', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('takes the same steps as tf.train.adam', () => {
    const target = tf.tensor1d([1, -2, 3]);
    const a = tf.variable(tf.tensor1d([0.5, 0.5, 0.5]));
    const b = tf.variable(tf.tensor1d([0.5, 0.5, 0.5]));
    const fused = new FusedAdam([a], 0.05);
    const reference = tf.train.adam(0.05);
    for (let i = 0; i < 20; i++) {
      fused.minimize(() => tf.sum(tf.square(tf.sub(a, target)))).dispose();
      reference.minimize(() => tf.sum(tf.square(tf.sub(b, target))), false, [b]);
    }
    const got = Array.from(a.dataSync());
    const want = Array.from(b.dataSync());
    // float64 moments here vs float32 tensors in tfjs: agreement to ~1e-5 after 20 steps.
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 4));
    tf.dispose([a, b, target]);
    reference.dispose();
  });

  it('leaves no tensors behind after a step', () => {
    const v = tf.variable(tf.ones([4]));
    const opt = new FusedAdam([v], 0.1);
    opt.minimize(() => tf.sum(tf.square(v))).dispose();
    const before = tf.memory().numTensors;
    opt.minimize(() => tf.sum(tf.square(v))).dispose();
    expect(tf.memory().numTensors).toBe(before);
    v.dispose();
  });
});
