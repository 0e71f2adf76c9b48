import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../training/backend';

async function sliceOn(
  backend: 'cpu' | 'wasm',
  shape: number[],
  begin: number[],
  size: number[],
  dtype: 'float32' | 'int32',
): Promise<number[]> {
  await selectBackend(backend);
  return tf.tidy(() => {
    const n = shape.reduce((a, b) => a * b, 1);
    const x = tf.tensor(
      Array.from({ length: n }, (_, i) => i * 3 - 7),
      shape,
      dtype,
    );
    return Array.from(tf.slice(x, begin, size).dataSync());
  });
}

describe('Slice on wasm (copies inside the heap)', () => {
  afterAll(async () => {
    await selectBackend('cpu');
  });

  it.each([
    [[10], [3], [5]],
    [[4, 6], [1, 2], [2, 3]],
    [[4, 6], [1, 0], [3, 6]],
    [[3, 5, 4], [0, 2, 0], [3, 2, 4]],
    [[2, 3, 4, 5], [1, 1, 0, 2], [1, 2, 4, 3]],
    [[2, 3, 4, 5], [0, 0, 1, 0], [2, 3, 2, 5]],
  ])('matches cpu for shape %j begin %j size %j', async (shape, begin, size) => {
    for (const dtype of ['float32', 'int32'] as const) {
      expect(await sliceOn('wasm', shape, begin, size, dtype)).toEqual(await sliceOn('cpu', shape, begin, size, dtype));
    }
  });

  it('splits along a middle axis (SplitV) as cpu does', async () => {
    const split = async (backend: 'cpu' | 'wasm'): Promise<number[][]> => {
      await selectBackend(backend);
      return tf.tidy(() =>
        tf
          .split(
            tf.tensor(
              Array.from({ length: 60 }, (_, i) => i),
              [3, 5, 4],
            ),
            [1, 3, 1],
            1,
          )
          .map((t) => Array.from(t.dataSync())),
      );
    };
    expect(await split('wasm')).toEqual(await split('cpu'));
  });

  it('gives the gradient of concat (SplitV) as cpu does', async () => {
    const grad = async (backend: 'cpu' | 'wasm'): Promise<number[]> => {
      await selectBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor(Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);
        const w = tf.tensor(Array.from({ length: 48 }, (_, i) => (i % 7) - 3), [2, 3, 8]);
        return Array.from(tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.concat([xx, tf.mul(xx, 2)], 2), w)))(x).dataSync());
      });
    };
    expect(await grad('wasm')).toEqual(await grad('cpu'));
  });
});
