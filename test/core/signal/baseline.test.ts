import { baselineMatrix, chooseHighpassHz, windowedBaseline } from '../../../core/signal/baseline';
import { lowpassFir } from '../../../core/signal/fir';
import { syntheticEcg } from '../../../core/signal/synthetic-ecg';
import { autoDenoiserConfig } from '../../../training/models/auto-denoiser';

describe('baseline removal inside a window (the filter branch high-pass)', () => {
  it('rows sum to one, keep a constant and a slow ramp, and drop a 10 Hz sine', () => {
    const t = 96;
    const m = baselineMatrix(0.7 / 250, t);
    for (let i = 0; i < t; i++) {
      let s = 0;
      for (let j = 0; j < t; j++) s += m[i * t + j]!;
      expect(s).toBeCloseTo(1, 5);
    }
    const n = 1000;
    const constant = windowedBaseline(new Float64Array(n).fill(3), m, t, t / 2);
    for (const v of constant) expect(v).toBeCloseTo(3, 4);
    const sine = Float64Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * 10 * i) / 250));
    const b = windowedBaseline(sine, m, t, t / 2);
    expect(Math.max(...b.map(Math.abs))).toBeLessThan(0.1);
  });

  it('chooses a cut-off for wandering pairs and none when the noisy rows are the clean ones', () => {
    const fs = 250;
    const ecg = syntheticEcg(20, fs, 1, 9);
    const clean = ecg.values;
    const noisy = clean.map((v, i) => v + 1.5 * Math.sin((2 * Math.PI * 0.2 * i) / fs + 1) + 0.8 * Math.sin((2 * Math.PI * 0.37 * i) / fs));
    const low = lowpassFir(40 / fs, 51);
    expect(chooseHighpassHz(noisy, clean, 1, fs, low, 96, 48)).toBeGreaterThan(0);
    expect(chooseHighpassHz(clean, clean, 1, fs, low, 96, 48)).toBe(0);
    // auto's config carries it as cycles per sample, beside the low-pass; --config highpass wins
    const config = autoDenoiserConfig(noisy, clean, 1, { sampleRate: fs, window: 96, hop: 48 });
    expect(config['highpass']).toBeGreaterThan(0);
    expect(config['highpass']).toBeLessThan(2 / fs);
    expect(autoDenoiserConfig(noisy, clean, 1, { sampleRate: fs, window: 96, hop: 48 }, { highpass: 0.004 })['highpass']).toBe(0.004);
  });
});
