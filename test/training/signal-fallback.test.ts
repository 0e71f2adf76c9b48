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
  /** A filter-branch model at low-pass `hz` whose correction is set to 3 everywhere (far worse than none), evaluated by the gate. */
  type Gate = ReturnType<typeof prepared.signal.evaluate>;
  const gateWithBadCorrection = (hz: number, check: (zm: ReturnType<typeof build>, r: Gate) => void) => {
    const zm = build({ skip: true, per_lead: true, filters: [4, 8], kernel: 5, lowpass: hz / fs, lowpass_taps: firTaps(fs) });
    const correction = zm.model.getLayer('correction');
    const bad = correction.getWeights().map((w) => tf.fill(w.shape, 3));
    try {
      correction.setWeights(bad);
      check(zm, prepared.signal.evaluate(zm, scaler));
    } finally {
      tf.dispose(bad);
      zm.dispose();
    }
  };

  it('zeroes a correction that does worse than the filter alone, and records both figures', () => {
    gateWithBadCorrection(35, (zm, r) => {
      expect(r.denoiser).toBe('filter');
      expect(r.figures['network_snr_db']!).toBeLessThan(r.figures['filter_snr_db']!);
      for (const w of zm.model.getLayer('correction').getWeights()) expect(Math.max(...w.abs().dataSync())).toBe(0);
    });
  });

  it('returns the input (identity) when neither the network nor its filter beats the noisy input, and records all three', () => {
    // a 2 Hz low-pass flattens every QRS: worse than the noisy input overall and near atypical beats
    gateWithBadCorrection(2, (zm, r) => {
      expect(r.denoiser).toBe('identity');
      for (const c of ['network', 'filter']) expect(r.figures[`${c}_snr_db`]!).toBeLessThan(r.figures['identity_snr_db']!);
      expect(r.figures['identity_atypical_snr_db']).toEqual(expect.any(Number));
      const x = tf.randomNormal([2, 64, 2], 0, 1, 'float32', 3);
      const y = zm.model.predict(x) as tf.Tensor;
      expect(tf.sub(y, x).abs().max().dataSync()[0]!).toBeLessThan(1e-5);
      tf.dispose([x, y]);
    });
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
