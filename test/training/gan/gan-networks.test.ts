import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../core/rng';
import { selectBackend } from '../../../training/backend';
import { Critic } from '../../../training/gan/gan-networks';

describe('gan critic with pac (PacGAN)', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  test('pac rows are judged together: one score per pack, and the score depends on every row of its pack', () => {
    const critic = new Critic(3, [8], new Rng(1), 5);
    const x = tf.randomNormal([20, 3], 0, 1, 'float32', 2);
    const scores = critic.apply(x);
    expect(scores.shape).toEqual([4]);
    // changing row 7 (pack 1) moves only pack 1's score
    const changed = tf.tidy(() => {
      const delta = tf.oneHot(tf.tensor1d([7], 'int32'), 20).reshape([20, 1]).mul(tf.ones([1, 3]));
      return critic.apply(x.add(delta));
    });
    const a = scores.dataSync();
    const b = changed.dataSync();
    expect([0, 2, 3].map((i) => Math.abs(a[i]! - b[i]!))).toEqual([0, 0, 0]);
    expect(Math.abs(a[1]! - b[1]!)).toBeGreaterThan(0);
    tf.dispose([x, scores, changed]);
    critic.dispose();
  });

  test('the first layer sees pac · inputs', () => {
    const critic = new Critic(3, [8], new Rng(1), 10);
    expect(critic.variables[0]!.shape).toEqual([30, 8]);
    critic.dispose();
  });
});
