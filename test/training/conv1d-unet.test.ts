import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../core/rng';
import { baselineMatrix } from '../../core/signal/baseline';
import { firLead, lowpassFir } from '../../core/signal/fir';
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
    expect(() => build({ skip: true, latent: 3 })).toThrow(/only filters, kernel/);
    expect(() => build({ per_lead: true })).toThrow(/per_lead needs skip: true/);
    expect(() => build({ skip: true, lowpass: 0.1 })).toThrow(/lowpass needs per_lead/);
    expect(() => build({ skip: true, per_lead: true, lowpass: 0.1, lowpass_taps: 10 })).toThrow(/must be odd/);
  });

  it('per lead (Conv2D [k, 1]) with a low-pass branch: exports with parity, starts as that FIR, keeps leads apart', async () => {
    const zm = build({ skip: true, per_lead: true, filters: [4, 6, 8], kernel: 5, lowpass: 0.1, lowpass_taps: 9 });
    try {
      expect(zm.model.layers.map((l) => l.getClassName())).toEqual(expect.arrayContaining(['Conv2D', 'UpSampling2D', 'Reshape']));
      expect(zm.model.trainableWeights.map((w) => w.name).some((n) => n.includes('lowpass'))).toBe(false);
      // untrained: exactly the low-pass (the correction starts at zero), lead by lead
      const x = tf.randomNormal([1, 32, 3], 0, 1, 'float32', 7);
      const y = (zm.model.predict(x) as tf.Tensor).dataSync();
      const xs = x.dataSync();
      const h = lowpassFir(0.1, 9);
      for (let j = 0; j < 3; j++) {
        const want = firLead(xs, 3, j, h);
        for (let i = 0; i < 32; i++) expect(y[i * 3 + j]!).toBeCloseTo(want[i]!, 4);
      }
      randomizeWeights(zm.model, 3);
      const r = await assertOnnxParity(zm.model, { batchSizes: [1, 4] });
      expect(r.maxAbs).toBeLessThan(1e-4);
      // a change in lead 0 leaves leads 1 and 2 as they were (the same weights run on each lead alone)
      const changed = Float32Array.from(xs);
      changed[10 * 3] = changed[10 * 3]! + 5;
      const a = (zm.model.predict(x) as tf.Tensor).dataSync();
      const b = (zm.model.predict(tf.tensor3d(changed, [1, 32, 3])) as tf.Tensor).dataSync();
      let other = 0;
      let own = 0;
      for (let i = 0; i < a.length; i++) {
        if (i % 3 === 0) own += Math.abs(a[i]! - b[i]!);
        else other += Math.abs(a[i]! - b[i]!);
      }
      expect(other).toBeLessThan(1e-5);
      expect(own).toBeGreaterThan(1e-3);
      tf.dispose(x);
    } finally {
      zm.dispose();
    }
  });

  it('with a high-pass: the branch is the low-pass minus the window baseline (a band-pass), exported with parity', async () => {
    const cfg = { skip: true, per_lead: true, filters: [4, 6, 8], kernel: 5, lowpass: 0.1, lowpass_taps: 9, highpass: 0.02 };
    const zm = build(cfg);
    try {
      expect(zm.model.layers.map((l) => l.getClassName())).toEqual(expect.arrayContaining(['Permute', 'Dense']));
      expect(zm.model.trainableWeights.map((w) => w.name).some((n) => n.includes('baseline'))).toBe(false);
      const x = tf.randomNormal([1, 32, 3], 0, 1, 'float32', 8);
      const xs = x.dataSync();
      const y = (zm.model.predict(x) as tf.Tensor).dataSync();
      const b = baselineMatrix(0.02, 32);
      for (let j = 0; j < 3; j++) {
        const low = firLead(xs, 3, j, lowpassFir(0.1, 9));
        for (let i = 0; i < 32; i++) {
          let base = 0;
          for (let k = 0; k < 32; k++) base += b[i * 32 + k]! * xs[k * 3 + j]!;
          expect(y[i * 3 + j]!).toBeCloseTo(low[i]! - base, 4);
        }
      }
      // a constant window (an offset) comes out as zero away from the low-pass's zero-padded edges
      const flat = (zm.model.predict(tf.fill([1, 32, 3], 2)) as tf.Tensor).dataSync();
      for (let i = 8; i < 24; i++) expect(Math.abs(flat[i * 3]!)).toBeLessThan(1e-4);
      randomizeWeights(zm.model, 3);
      const r = await assertOnnxParity(zm.model, { batchSizes: [1, 4] });
      expect(r.maxAbs).toBeLessThan(1e-4);
      tf.dispose(x);
    } finally {
      zm.dispose();
    }
    expect(() => build({ skip: true, per_lead: true, highpass: 0.02 })).toThrow(/highpass needs lowpass/);
    expect(() => build({ ...cfg, highpass: 0.2 })).toThrow(/below it/);
  });
});
