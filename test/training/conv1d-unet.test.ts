import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../core/rng';
import { conv1dAe } from '../../training/models/conv1d-ae';
import { assertOnnxParity, randomizeWeights } from './export/parity';

describe('conv1d-ae with skip connections (the U-Net denoiser)', () => {
  const build = (config: Record<string, unknown>, steps = 32) =>
    conv1dAe.build({ shape: { layout: 'windows', features: 3, steps }, rng: new Rng(1), config, learningRate: 1e-3 });

  it('exports to ONNX with the Conv1D, UpSampling1D, Concatenate and Add converters, matching tfjs', async () => {
    const zm = build({ skip: true, filters: [4, 6, 8], kernel: 5 });
    try {
      const layers = zm.model.layers.map((l) => l.getClassName());
      expect(layers).toEqual(expect.arrayContaining(['Concatenate', 'Add', 'UpSampling1D', 'Conv1D']));
      randomizeWeights(zm.model, 3);
      const r = await assertOnnxParity(zm.model, { batchSizes: [1, 5] });
      expect(r.maxAbs).toBeLessThan(1e-4);
      expect(zm.model.outputs[0]!.shape).toEqual([null, 32, 3]);
    } finally {
      zm.dispose();
    }
  });

  it('starts near the identity (residual output) and refuses windows it cannot halve', () => {
    const zm = build({ skip: true, filters: [4, 6, 8], kernel: 5 });
    try {
      const x = tf.randomNormal([2, 32, 3], 0, 1, 'float32', 5);
      const y = zm.model.predict(x) as tf.Tensor;
      const diff = tf.sub(y, x).abs().mean().dataSync()[0]!;
      expect(diff).toBeLessThan(tf.abs(x).mean().dataSync()[0]!);
      tf.dispose([x, y]);
    } finally {
      zm.dispose();
    }
    expect(() => build({ skip: true, filters: [4, 6, 8] }, 30)).toThrow(/divisible by 4/);
    expect(() => build({ skip: true, latent: 3 })).toThrow(/only filters and kernel/);
  });
});
