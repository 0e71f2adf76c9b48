import * as tf from '@tensorflow/tfjs';
import { BroadcastRepeatVector } from '../../training/models/layers/broadcast-repeat-vector';
import { FusedLSTM } from '../../training/models/layers/fused-lstm';

/** A tfjs-layers LSTM and a FusedLSTM with the same weights, both built for [T=6, F=3]. */
function pair(returnSequences: boolean): { ref: tf.layers.Layer; fused: FusedLSTM } {
  const ref = tf.layers.lstm({ units: 5, returnSequences, recurrentActivation: 'sigmoid' });
  const fused = new FusedLSTM({ units: 5, returnSequences });
  ref.apply(tf.input({ shape: [6, 3] }));
  fused.apply(tf.input({ shape: [6, 3] }));
  fused.setWeights(ref.getWeights());
  return { ref, fused };
}

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

describe.each([false, true])('FusedLSTM (returnSequences=%s)', (returnSequences) => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('computes the same output as tfjs-layers LSTM', () => {
    const { ref, fused } = pair(returnSequences);
    const x = tf.randomNormal([4, 6, 3], 0, 1, 'float32', 3);
    expect(maxDiff(ref.apply(x) as tf.Tensor, fused.apply(x) as tf.Tensor)).toBeLessThan(1e-5);
  });

  it('computes the same weight gradients', () => {
    const { ref, fused } = pair(returnSequences);
    const x = tf.randomNormal([4, 6, 3], 0, 1, 'float32', 3);
    const w = tf.randomNormal(returnSequences ? [4, 6, 5] : [4, 5], 0, 1, 'float32', 4);
    const vr = ref.trainableWeights.map((v) => v.read() as tf.Variable);
    const vf = fused.trainableWeights.map((v) => v.read() as tf.Variable);
    const gr = tf.variableGrads(() => tf.sum(tf.mul(ref.apply(x) as tf.Tensor, w)) as tf.Scalar, vr).grads;
    const gf = tf.variableGrads(() => tf.sum(tf.mul(fused.apply(x) as tf.Tensor, w)) as tf.Scalar, vf).grads;
    vr.forEach((v, i) => expect(maxDiff(gr[v.name]!, gf[vf[i]!.name]!)).toBeLessThan(1e-5));
  });

  it('computes the same input gradient', () => {
    const { ref, fused } = pair(returnSequences);
    const x = tf.randomNormal([4, 6, 3], 0, 1, 'float32', 5);
    const w = tf.randomNormal(returnSequences ? [4, 6, 5] : [4, 5], 0, 1, 'float32', 6);
    const gr = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(ref.apply(xx) as tf.Tensor, w)))(x);
    const gf = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(fused.apply(xx) as tf.Tensor, w)))(x);
    expect(maxDiff(gr, gf)).toBeLessThan(1e-5);
  });

  it("exports as an 'LSTM' with the same config", () => {
    const { ref, fused } = pair(returnSequences);
    expect(fused.getClassName()).toBe('LSTM');
    expect({ ...fused.getConfig(), name: '' }).toEqual({ ...ref.getConfig(), name: '' });
  });
});

describe('FusedLSTM at the lstm-ae benchmark width (32 units, 4 features)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  function bigPair(): { ref: tf.layers.Layer; fused: FusedLSTM } {
    // Glorot for the recurrent kernel too: tfjs' orthogonal initializer runs a slow tensor-op QR.
    const ref = tf.layers.lstm({ units: 32, returnSequences: true, recurrentActivation: 'sigmoid', recurrentInitializer: 'glorotUniform' });
    const fused = new FusedLSTM({ units: 32, returnSequences: true, recurrentInitializer: 'glorotUniform' });
    ref.apply(tf.input({ shape: [12, 4] }));
    fused.apply(tf.input({ shape: [12, 4] }));
    fused.setWeights(ref.getWeights());
    return { ref, fused };
  }

  it('computes the same weight and input gradients as tfjs-layers LSTM over 12 steps', () => {
    const { ref, fused } = bigPair();
    const x = tf.randomNormal([6, 12, 4], 0, 1, 'float32', 11);
    const w = tf.randomNormal([6, 12, 32], 0, 1, 'float32', 12);
    const loss = (layer: tf.layers.Layer) => (xx: tf.Tensor) => tf.sum(tf.mul(layer.apply(xx) as tf.Tensor, w)) as tf.Scalar;
    const vr = ref.trainableWeights.map((v) => v.read() as tf.Variable);
    const vf = fused.trainableWeights.map((v) => v.read() as tf.Variable);
    const gr = tf.variableGrads(() => loss(ref)(x), vr).grads;
    const gf = tf.variableGrads(() => loss(fused)(x), vf).grads;
    vr.forEach((v, i) => expect(maxDiff(gr[v.name]!, gf[vf[i]!.name]!)).toBeLessThan(1e-4));
    expect(maxDiff(tf.grad(loss(ref))(x), tf.grad(loss(fused))(x))).toBeLessThan(1e-4);
  });

  it('still computes the right gradient when the layer ran again between forward and backward', () => {
    const { ref, fused } = bigPair();
    const x = tf.randomNormal([3, 12, 4], 0, 1, 'float32', 13);
    const other = tf.randomNormal([5, 12, 4], 0, 1, 'float32', 14);
    const want = tf.grad((xx: tf.Tensor) => tf.sum(ref.apply(xx) as tf.Tensor))(x);
    const got = tf.grad((xx: tf.Tensor) => {
      const y = fused.apply(xx) as tf.Tensor;
      fused.apply(other); // overwrites the workspace's saved state with another batch shape
      return tf.sum(y);
    })(x);
    expect(maxDiff(want, got)).toBeLessThan(1e-4);
  });

  it('leaks no tensors over a gradient step', () => {
    const { fused } = bigPair();
    const x = tf.randomNormal([3, 12, 4], 0, 1, 'float32', 15);
    const vf = fused.trainableWeights.map((v) => v.read() as tf.Variable);
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => tf.sum(fused.apply(x) as tf.Tensor) as tf.Scalar, vf);
    value.dispose();
    tf.dispose(grads);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe.each([[32, 32], [5, 7]])('FusedLSTM fed by a RepeatVector (code %i wide, %i units)', (F, U) => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('computes the same output and gradients as tfjs-layers RepeatVector + LSTM', () => {
    const T = 9;
    const ref = tf.layers.lstm({
      units: U,
      returnSequences: true,
      recurrentActivation: 'sigmoid',
      recurrentInitializer: 'glorotUniform',
      biasInitializer: 'randomNormal',
    });
    const fused = new FusedLSTM({ units: U, returnSequences: true, recurrentInitializer: 'glorotUniform' });
    ref.apply(tf.input({ shape: [T, F] }));
    fused.apply(tf.input({ shape: [T, F] }));
    fused.setWeights(ref.getWeights());
    const code = tf.randomNormal([4, F], 0, 1, 'float32', 21);
    const w = tf.randomNormal([4, T, U], 0, 1, 'float32', 22);
    const refLoss = (c: tf.Tensor) =>
      tf.sum(tf.mul(ref.apply(tf.layers.repeatVector({ n: T }).apply(c) as tf.Tensor) as tf.Tensor, w)) as tf.Scalar;
    const fusedLoss = (c: tf.Tensor) =>
      tf.sum(tf.mul(fused.apply(new BroadcastRepeatVector({ n: T }).apply(c) as tf.Tensor) as tf.Tensor, w)) as tf.Scalar;
    expect(Math.abs(refLoss(code).dataSync()[0]! - fusedLoss(code).dataSync()[0]!)).toBeLessThan(1e-3);
    const vr = ref.trainableWeights.map((v) => v.read() as tf.Variable);
    const vf = fused.trainableWeights.map((v) => v.read() as tf.Variable);
    const gr = tf.variableGrads(() => refLoss(code), vr).grads;
    const gf = tf.variableGrads(() => fusedLoss(code), vf).grads;
    vr.forEach((v, i) => expect(maxDiff(gr[v.name]!, gf[vf[i]!.name]!)).toBeLessThan(1e-4));
    expect(maxDiff(tf.grad(refLoss)(code), tf.grad(fusedLoss)(code))).toBeLessThan(1e-4);
  });
});
