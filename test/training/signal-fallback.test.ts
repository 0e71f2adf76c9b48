import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../core/rng';
import { fitScaler } from '../../core/scaler';
import { firTaps } from '../../core/signal/fir';
import { syntheticEcg } from '../../core/signal/synthetic-ecg';
import { conv1dAe } from '../../training/models/conv1d-ae';
import { prepareSignalTraining } from '../../training/signal-denoiser';

/** The gate's fallback to the filter branch (training/signal-denoiser.ts) on a small synthetic 2-lead recording. */
describe('continuous-signal denoiser: fallback to the filter branch', () => {
  const fs = 200;
  const ecg = syntheticEcg(30, fs, 2, 3, { abnormalEvery: 5 });
  const prepared = prepareSignalTraining({
    features: ['a', 'b'], values: ecg.values, sampleRate: fs, augment: 'ecg:copies=1', seed: 4, window: 64,
  });
  const scaler = fitScaler(prepared.values, 2);
  const build = (config: Record<string, unknown>) =>
    conv1dAe.build({ shape: { layout: 'windows', features: 2, steps: 64 }, rng: new Rng(2), config, learningRate: 1e-3 });

  it('zeroes a correction that does worse than the filter alone, and records both figures', () => {
    const zm = build({ skip: true, per_lead: true, filters: [4, 8], kernel: 5, lowpass: 35 / fs, lowpass_taps: firTaps(fs) });
    try {
      const correction = zm.model.getLayer('correction');
      const bad = correction.getWeights().map((w) => tf.fill(w.shape, 3));
      correction.setWeights(bad);
      const r = prepared.signal.evaluate(zm, scaler);
      expect(r.denoiser).toBe('filter');
      expect(r.figures['network_snr_db']!).toBeLessThan(r.figures['filter_snr_db']!);
      for (const w of correction.getWeights()) expect(Math.max(...w.abs().dataSync())).toBe(0);
      tf.dispose(bad);
    } finally {
      zm.dispose();
    }
  });

  it('leaves a model without a filter branch alone (no denoiser field)', () => {
    const zm = build({ skip: true, per_lead: true, filters: [4, 8], kernel: 5 });
    try {
      const r = prepared.signal.evaluate(zm, scaler);
      expect(r.denoiser).toBeUndefined();
      expect(r.figures['filter_snr_db']).toBeUndefined();
    } finally {
      zm.dispose();
    }
  });
});
