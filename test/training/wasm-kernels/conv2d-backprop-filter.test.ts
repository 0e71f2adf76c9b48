import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../training/backend';

type Attrs = { strides: number[]; pad: 'same' | 'valid'; dataFormat: 'NHWC' | 'NCHW'; filterShape: number[] };

/** Runs Conv2DBackpropFilter on a backend and returns the result's values. */
async function runOn(
  backend: 'cpu' | 'wasm',
  x: Float32Array,
  xShape: number[],
  dy: Float32Array,
  dyShape: number[],
  attrs: Attrs,
): Promise<Float32Array> {
  await selectBackend(backend);
  return tf.tidy(() => {
    const out = tf
      .engine()
      .runKernel(
        'Conv2DBackpropFilter',
        { x: tf.tensor(x, xShape), dy: tf.tensor(dy, dyShape) },
        attrs as unknown as tf.NamedAttrMap,
      ) as tf.Tensor;
    expect(out.shape).toEqual(attrs.filterShape);
    return out.dataSync() as Float32Array;
  });
}

function random(n: number, seed: number): Float32Array {
  return tf.tidy(() => tf.randomNormal([n], 0, 1, 'float32', seed).dataSync() as Float32Array);
}

async function compare(
  xShape: number[],
  filterShape: number[],
  strides: number[],
  pad: 'same' | 'valid',
  dataFormat: 'NHWC' | 'NCHW' = 'NHWC',
): Promise<void> {
  await selectBackend('cpu');
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides as [number, number],
    1,
    pad,
    undefined,
    false,
    dataFormat === 'NHWC' ? 'channelsLast' : 'channelsFirst',
  );
  const dyShape = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  const dyShapeFmt = dataFormat === 'NHWC' ? dyShape : [dyShape[0]!, dyShape[3]!, dyShape[1]!, dyShape[2]!];
  const x = random(
    xShape.reduce((a, b) => a * b),
    1,
  );
  const dy = random(
    dyShape.reduce((a, b) => a * b),
    2,
  );
  const attrs: Attrs = { strides, pad, dataFormat, filterShape };
  const want = await runOn('cpu', x, xShape, dy, dyShapeFmt, attrs);
  const got = await runOn('wasm', x, xShape, dy, dyShapeFmt, attrs);
  for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i], 3);
}

describe('Conv2DBackpropFilter on wasm', () => {
  afterAll(async () => {
    await selectBackend('cpu');
  });

  it('matches cpu for a conv1d-shaped filter with same padding and stride 1', async () => {
    await compare([3, 1, 20, 4], [1, 5, 4, 6], [1, 1], 'same');
  });

  it('matches cpu with stride 2 and valid padding', async () => {
    await compare([2, 1, 21, 3], [1, 4, 3, 5], [1, 2], 'valid');
  });

  it('matches cpu for a 2-D filter with stride 2 and same padding', async () => {
    await compare([2, 7, 9, 3], [3, 3, 3, 4], [2, 2], 'same');
  });

  it("matches cpu for conv1d-ae's first layer (one input channel, 32 filters, stride 2)", async () => {
    await compare([3, 1, 30, 1], [1, 7, 1, 32], [1, 2], 'same');
  });

  it("matches cpu for conv1d-ae's output layer (32 channels in, one filter)", async () => {
    await compare([2, 1, 28, 32], [1, 7, 32, 1], [1, 1], 'same');
  });

  it('matches cpu for NCHW input', async () => {
    await compare([2, 3, 6, 8], [2, 3, 3, 4], [1, 1], 'same', 'NCHW');
  });

  it('trains a Conv1D layer on wasm with the same gradient as cpu', async () => {
    const grads = async (backend: 'cpu' | 'wasm'): Promise<Float32Array> => {
      await selectBackend(backend);
      return tf.tidy(() => {
        const x = tf.randomNormal([4, 16, 2], 0, 1, 'float32', 3);
        const k = tf.variable(tf.randomNormal([3, 2, 5], 0, 1, 'float32', 4));
        const g = tf.grad((kk: tf.Tensor) => tf.sum(tf.square(tf.conv1d(x as tf.Tensor3D, kk as tf.Tensor3D, 2, 'same'))))(k);
        const values = g.dataSync() as Float32Array;
        k.dispose();
        return values;
      });
    };
    const want = await grads('cpu');
    const got = await grads('wasm');
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i], 2);
  });
});
