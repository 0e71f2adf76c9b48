import * as tf from '@tensorflow/tfjs';
import { UpSampling1D } from '../../../training/models/layers/up-sampling-1d';
import { assertOnnxParity, sequentialOf } from './parity';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const seq = (inputShape: number[], ...layers: tf.layers.Layer[]) => sequentialOf(inputShape, layers);

describe('normalization', () => {
  it('BatchNormalization uses the moving statistics', async () => {
    await assertOnnxParity(seq([6], tf.layers.batchNormalization({ epsilon: 0.01 })));
  });
  it('BatchNormalization on the channel axis of a 3-D input, without scale', async () => {
    await assertOnnxParity(seq([5, 3], tf.layers.batchNormalization({ scale: false })));
  });
  it('LayerNormalization over the last axis', async () => {
    await assertOnnxParity(seq([4, 6], tf.layers.layerNormalization()));
  });
  it('LayerNormalization without center and scale', async () => {
    await assertOnnxParity(seq([6], tf.layers.layerNormalization({ center: false, scale: false, epsilon: 1e-5 })));
  });
});

describe('Conv1D', () => {
  const cases: [string, tf.layers.Layer][] = [
    ['valid padding', tf.layers.conv1d({ filters: 4, kernelSize: 3, activation: 'relu' })],
    ['same padding', tf.layers.conv1d({ filters: 4, kernelSize: 4, padding: 'same' })],
    ['same padding with stride 2', tf.layers.conv1d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' })],
    ['valid padding with stride 3', tf.layers.conv1d({ filters: 3, kernelSize: 2, strides: 3 })],
    ['dilation 2, same padding', tf.layers.conv1d({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same' })],
    ['no bias', tf.layers.conv1d({ filters: 2, kernelSize: 3, useBias: false, activation: 'tanh' })],
  ];
  for (const [name, layer] of cases) {
    it(`${name} matches tfjs`, async () => {
      await assertOnnxParity(seq([11, 3], layer));
    });
  }
});

describe('pooling and up-sampling', () => {
  const cases: [string, () => tf.layers.Layer[]][] = [
    ['MaxPooling1D valid', () => [tf.layers.maxPooling1d({ poolSize: 2 })]],
    ['MaxPooling1D same with stride 2', () => [tf.layers.maxPooling1d({ poolSize: 3, strides: 2, padding: 'same' })]],
    ['AveragePooling1D valid', () => [tf.layers.averagePooling1d({ poolSize: 3 })]],
    ['AveragePooling1D same (padding excluded from the mean)', () => [tf.layers.averagePooling1d({ poolSize: 2, padding: 'same' })]],
    ['GlobalMaxPooling1D', () => [tf.layers.globalMaxPooling1d()]],
    ['GlobalAveragePooling1D', () => [tf.layers.globalAveragePooling1d()]],
    [
      'UpSampling1D (custom class) + Conv1D decoder',
      () => [new UpSampling1D({ size: 2 }), tf.layers.conv1d({ filters: 3, kernelSize: 3, padding: 'same' })],
    ],
  ];
  for (const [name, make] of cases) {
    it(`${name} matches tfjs`, async () => {
      await assertOnnxParity(seq([9, 3], ...make()));
    });
  }
  it('Conv2DTranspose (same and valid) and UpSampling2D match tfjs', async () => {
    await assertOnnxParity(seq([5, 1, 3],
      tf.layers.conv2dTranspose({ filters: 4, kernelSize: [3, 1], strides: [2, 1], padding: 'same' }),
      tf.layers.upSampling2d({ size: [2, 1] }),
      tf.layers.conv2dTranspose({ filters: 2, kernelSize: [2, 1], strides: [3, 1], padding: 'valid' })));
  });
  it('Conv2D, MaxPooling2D (same), AveragePooling2D and GlobalAveragePooling2D match tfjs', async () => {
    await assertOnnxParity(seq([7, 6, 2],
      tf.layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
      tf.layers.averagePooling2d({ poolSize: [2, 1] }),
      tf.layers.globalAveragePooling2d({})));
  });
  it('GlobalMaxPooling2D matches tfjs', async () => {
    await assertOnnxParity(seq([4, 3, 2], tf.layers.globalMaxPooling2d({})));
  });
});
