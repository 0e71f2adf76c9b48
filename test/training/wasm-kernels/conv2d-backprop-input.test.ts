import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../training/backend';

/** dL/dx of sum(conv2d(x, w)²) on a backend. */
async function inputGrad(
  backend: 'cpu' | 'wasm',
  xShape: [number, number, number, number],
  wShape: [number, number, number, number],
  strides: [number, number],
  pad: 'same' | 'valid',
): Promise<Float32Array> {
  await selectBackend(backend);
  return tf.tidy(() => {
    const x = tf.randomNormal(xShape, 0, 1, 'float32', 11) as tf.Tensor4D;
    const w = tf.randomNormal(wShape, 0, 1, 'float32', 12) as tf.Tensor4D;
    return tf
      .grad((xx: tf.Tensor) => tf.sum(tf.square(tf.conv2d(xx as tf.Tensor4D, w, strides, pad))))(x)
      .dataSync() as Float32Array;
  });
}

async function compare(
  xShape: [number, number, number, number],
  wShape: [number, number, number, number],
  strides: [number, number],
  pad: 'same' | 'valid',
): Promise<void> {
  const want = await inputGrad('cpu', xShape, wShape, strides, pad);
  const got = await inputGrad('wasm', xShape, wShape, strides, pad);
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 2);
}

describe('Conv2DBackpropInput on wasm (replacement)', () => {
  afterAll(async () => {
    await selectBackend('cpu');
  });

  it('matches cpu for a conv1d-shaped layer, stride 1, same padding', async () => {
    await compare([3, 1, 20, 4], [1, 5, 4, 6], [1, 1], 'same');
  });

  it('matches cpu with stride 2 and same padding on an even length', async () => {
    await compare([2, 1, 70, 3], [1, 7, 3, 5], [1, 2], 'same');
  });

  it('matches cpu with stride 2 and valid padding on an odd length', async () => {
    await compare([2, 1, 21, 3], [1, 4, 3, 5], [1, 2], 'valid');
  });

  it('matches cpu for a 2-D filter with stride 2', async () => {
    await compare([2, 7, 9, 3], [3, 3, 3, 4], [2, 2], 'same');
  });
});
