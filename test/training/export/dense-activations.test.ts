import * as tf from '@tensorflow/tfjs';
import { SUPPORTED_ACTIVATIONS } from '../../../training/export';
import { assertOnnxParity } from './parity';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function denseModel(activation: string): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [6], units: 5, activation: activation as 'relu' }));
  model.add(tf.layers.dense({ units: 4, useBias: false, activation: activation as 'relu' }));
  return model;
}

describe('Dense with every activation option', () => {
  for (const activation of SUPPORTED_ACTIVATIONS) {
    it(`matches tfjs for activation '${activation}'`, async () => {
      const r = await assertOnnxParity(denseModel(activation));
      expect(r.maxAbs).toBeLessThanOrEqual(1e-4);
    });
  }
});
