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
