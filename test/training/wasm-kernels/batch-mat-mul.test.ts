import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../training/backend';

async function product(backend: 'cpu' | 'wasm', ta: boolean, tb: boolean): Promise<Float32Array> {
  await selectBackend(backend);
  return tf.tidy(() => {
    const a = tf.randomNormal(ta ? [2, 5, 3] : [2, 3, 5], 0, 1, 'float32', 1);
    const b = tf.randomNormal(tb ? [2, 4, 5] : [2, 5, 4], 0, 1, 'float32', 2);
    return tf.matMul(a, b, ta, tb).dataSync() as Float32Array;
  });
}

describe('BatchMatMul on wasm (explicit transposes)', () => {
  afterAll(async () => {
    await selectBackend('cpu');
  });

  it.each([[false, false], [true, false], [false, true], [true, true]])('matches cpu with transposeA=%s transposeB=%s', async (ta, tb) => {
    const want = await product('cpu', ta, tb);
    const got = await product('wasm', ta, tb);
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 4);
  });
});

describe('BatchMatMul on wasm (SIMD GEMM on the heap)', () => {
  afterAll(async () => {
    await selectBackend('cpu');
  });

  const product2d = async (backend: 'cpu' | 'wasm', m: number, k: number, n: number, ta: boolean, tb: boolean): Promise<Float32Array> => {
    await selectBackend(backend);
    return tf.tidy(() => {
      const a = tf.randomNormal(ta ? [k, m] : [m, k], 0, 1, 'float32', 5);
      const b = tf.randomNormal(tb ? [n, k] : [k, n], 0, 1, 'float32', 6);
      return tf.matMul(a, b, ta, tb).dataSync() as Float32Array;
    });
  };

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('matches cpu for 2-D [37×19]·[19×12] with transposeA=%s transposeB=%s', async (ta, tb) => {
    const want = await product2d('cpu', 37, 19, 12, ta, tb);
    const got = await product2d('wasm', 37, 19, 12, ta, tb);
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 4);
  });

  it('matches cpu when the output width is not a multiple of 4 (the backend path)', async () => {
    const want = await product2d('cpu', 9, 7, 6, false, false);
    const got = await product2d('wasm', 9, 7, 6, false, false);
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 4);
  });

  it('broadcasts a batch of one against a batch of three', async () => {
    const run = async (backend: 'cpu' | 'wasm'): Promise<Float32Array> => {
      await selectBackend(backend);
      return tf.tidy(
        () =>
          tf
            .matMul(tf.randomNormal([1, 5, 3], 0, 1, 'float32', 7), tf.randomNormal([3, 3, 8], 0, 1, 'float32', 8))
            .dataSync() as Float32Array,
      );
    };
    const want = await run('cpu');
    const got = await run('wasm');
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 4);
  });
});
