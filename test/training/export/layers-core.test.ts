import * as tf from '@tensorflow/tfjs';
import { SUPPORTED_ACTIVATIONS } from '../../../training/export';
import { Subtract } from './custom-layers';
import { assertOnnxParity, randomizeWeights, sequentialOf } from './parity';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const seq = (inputShape: number[], ...layers: tf.layers.Layer[]) => sequentialOf(inputShape, layers);

describe('activation layers', () => {
  for (const activation of SUPPORTED_ACTIVATIONS) {
    it(`Activation('${activation}') on a 3-D input matches tfjs`, async () => {
      await assertOnnxParity(seq([3, 5], tf.layers.activation({ activation: activation as 'relu' })));
    });
  }
  const layers: [string, () => tf.layers.Layer][] = [
    ['ReLU', () => tf.layers.reLU()],
    ['ReLU with maxValue', () => tf.layers.reLU({ maxValue: 0.7 })],
    ['LeakyReLU', () => tf.layers.leakyReLU({ alpha: 0.15 })],
    ['PReLU', () => tf.layers.prelu()],
    ['ELU', () => tf.layers.elu()],
    ['ThresholdedReLU', () => tf.layers.thresholdedReLU({ theta: 0.4 })],
    ['Softmax', () => tf.layers.softmax({ axis: -1 })],
  ];
  for (const [name, make] of layers) {
    it(`${name} matches tfjs`, async () => {
      await assertOnnxParity(seq([6], tf.layers.dense({ units: 6 }), make()));
    });
  }
});

describe('inference-time identities', () => {
  it('Dropout, GaussianNoise, GaussianDropout, AlphaDropout and SpatialDropout1D are identities', async () => {
    await assertOnnxParity(seq([4, 6],
      tf.layers.dropout({ rate: 0.5 }), tf.layers.gaussianNoise({ stddev: 1 }), tf.layers.gaussianDropout({ rate: 0.3 }),
      tf.layers.alphaDropout({ rate: 0.3 }), tf.layers.spatialDropout1d({ rate: 0.3 }), tf.layers.dense({ units: 2 })));
  });
});

describe('Dense', () => {
  it('applies to the last axis of a 3-D input', async () => {
    await assertOnnxParity(seq([5, 4], tf.layers.dense({ units: 3, activation: 'elu' }), tf.layers.dense({ units: 2, useBias: false })));
  });
});

describe('shape layers', () => {
  it('Flatten, Reshape and RepeatVector match tfjs', async () => {
    await assertOnnxParity(seq([4, 3], tf.layers.flatten(), tf.layers.reshape({ targetShape: [2, 6] }), tf.layers.flatten(),
      tf.layers.dense({ units: 5 }), tf.layers.repeatVector({ n: 3 })));
  });
  it('Permute matches tfjs', async () => {
    await assertOnnxParity(seq([4, 3, 2], tf.layers.permute({ dims: [3, 1, 2] })));
  });
});

describe('merge layers', () => {
  function twoBranch(merge: (a: tf.SymbolicTensor, b: tf.SymbolicTensor) => tf.SymbolicTensor, shape = [5]): tf.LayersModel {
    const input = tf.input({ shape });
    const a = tf.layers.dense({ units: 4, activation: 'tanh' }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.dense({ units: 4 }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: merge(a, b) });
    randomizeWeights(model);
    return model;
  }
  const cases: [string, (a: tf.SymbolicTensor, b: tf.SymbolicTensor) => tf.SymbolicTensor, number[]?][] = [
    ['Add', (a, b) => tf.layers.add().apply([a, b, a]) as tf.SymbolicTensor],
    ['Multiply', (a, b) => tf.layers.multiply().apply([a, b]) as tf.SymbolicTensor],
    ['Average', (a, b) => tf.layers.average().apply([a, b]) as tf.SymbolicTensor],
    ['Maximum', (a, b) => tf.layers.maximum().apply([a, b]) as tf.SymbolicTensor],
    ['Minimum', (a, b) => tf.layers.minimum().apply([a, b]) as tf.SymbolicTensor],
    ['Subtract (custom class)', (a, b) => new Subtract({}).apply([a, b]) as tf.SymbolicTensor],
    ['Concatenate on the last axis', (a, b) => tf.layers.concatenate().apply([a, b]) as tf.SymbolicTensor],
    ['Concatenate on axis 1 of 3-D tensors', (a, b) => tf.layers.concatenate({ axis: 1 }).apply([a, b]) as tf.SymbolicTensor, [3, 5]],
  ];
  for (const [name, merge, shape] of cases) {
    it(`${name} matches tfjs`, async () => {
      await assertOnnxParity(twoBranch(merge, shape));
    });
  }
  it('converts a model nested as a layer and a layer shared by two calls', async () => {
    const inner = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: 'relu' }), tf.layers.dense({ units: 4 })],
    });
    const input = tf.input({ shape: [4] });
    const shared = tf.layers.dense({ units: 4, activation: 'sigmoid' });
    const once = shared.apply(inner.apply(input) as tf.SymbolicTensor) as tf.SymbolicTensor;
    const twice = shared.apply(once) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.add().apply([once, twice]) as tf.SymbolicTensor });
    randomizeWeights(model);
    await assertOnnxParity(model);
  });
});
