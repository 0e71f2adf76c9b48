import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../training/backend';

async function segmentSum(backend: 'cpu' | 'wasm', ids: number[], numSegments: number): Promise<number[]> {
  await selectBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]);
    return Array.from(tf.unsortedSegmentSum(x, tf.tensor1d(ids, 'int32'), numSegments).dataSync());
  });
}

describe('UnsortedSegmentSum on wasm', () => {
  afterAll(async () => {
    await selectBackend('cpu');
  });

  it('matches cpu, summing rows that share a segment', async () => {
    const want = await segmentSum('cpu', [2, 0, 2, 1], 3);
    expect(await segmentSum('wasm', [2, 0, 2, 1], 3)).toEqual(want);
  });

  it('gives the gradient of gather that cpu gives', async () => {
    const grad = async (backend: 'cpu' | 'wasm'): Promise<number[]> => {
      await selectBackend(backend);
      return tf.tidy(() => Array.from(tf.grad((v: tf.Tensor) => tf.sum(tf.gather(v, [0, 2, 2, 3])))(tf.ones([4, 3])).dataSync()));
    };
    expect(await grad('wasm')).toEqual(await grad('cpu'));
  });
});
