import { Rng } from '../../../core/rng';
import { augmentRows } from '../../../core/signal/augment-rows';
import { checkSampleRate, corruptLead, ECG_PRESET, noiseComponent, parseAugmentSpec, power } from '../../../core/signal/ecg-noise';
import { syntheticEcg } from '../../../core/signal/synthetic-ecg';
import { snrDb } from '../../../core/signal/ecg-metrics';

/** |DFT| of x at frequency f Hz (one bin, direct sum). */
function amplitudeAt(x: Float64Array, fs: number, f: number): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < x.length; i++) {
    re += x[i]! * Math.cos((2 * Math.PI * f * i) / fs);
    im -= x[i]! * Math.sin((2 * Math.PI * f * i) / fs);
  }
  return Math.hypot(re, im) / x.length;
}

describe('ECG noise models', () => {
  const fs = 500;
  it('parses the preset and custom specs, and names bad keys', () => {
    expect(parseAugmentSpec('ecg')).toEqual(ECG_PRESET);
    expect(parseAugmentSpec('wander+white:snr=0..12,copies=2,mains=60')).toEqual({
      ...ECG_PRESET, types: ['wander', 'white'], snrDb: [0, 12], copies: 2, mains: 60,
    });
    expect(() => parseAugmentSpec('hum')).toThrow(/unknown noise type 'hum'/);
    expect(() => parseAugmentSpec('ecg:snr=9..3')).toThrow(/LO <= HI/);
    expect(() => parseAugmentSpec('ecg:level=3')).toThrow(/unknown key 'level'/);
  });

  it('rejects a sample rate that cannot carry the power-line frequency', () => {
    expect(() => checkSampleRate(100, ECG_PRESET)).toThrow(/cannot carry/);
    expect(() => checkSampleRate(110, parseAugmentSpec('powerline:mains=50'))).not.toThrow();
    expect(() => checkSampleRate(0, ECG_PRESET)).toThrow(/positive/);
    expect(() => checkSampleRate(250, ECG_PRESET)).not.toThrow();
  });

  it('puts each component in its band, at unit RMS, the same for the same seed', () => {
    const n = fs * 20;
    const wander = noiseComponent('wander', n, fs, new Rng(1));
    expect(power(wander, 0, n)).toBeCloseTo(1, 6);
    const lowBand = [0.1, 0.2, 0.3, 0.4].map((f) => amplitudeAt(wander, fs, f)).reduce((a, b) => Math.max(a, b));
    expect(lowBand).toBeGreaterThan(10 * amplitudeAt(wander, fs, 5));
    const hum = noiseComponent('powerline', n, fs, new Rng(2), 60);
    expect(Math.max(...[59.8, 59.9, 60, 60.1, 60.2].map((f) => amplitudeAt(hum, fs, f)))).toBeGreaterThan(0.3);
    expect(amplitudeAt(hum, fs, 50)).toBeLessThan(0.05);
    const emg = noiseComponent('emg', n, fs, new Rng(3));
    expect(amplitudeAt(emg, fs, 2)).toBeLessThan(amplitudeAt(emg, fs, 80) + 0.01);
    expect(noiseComponent('motion', n, fs, new Rng(4))).toEqual(noiseComponent('motion', n, fs, new Rng(4)));
  });

  it('mixes noise at an SNR inside the drawn range', () => {
    const { values } = syntheticEcg(20, fs, 1, 1);
    const clean = Float64Array.from(values);
    for (const seed of [1, 2, 3]) {
      const noisy = corruptLead(clean, fs, { ...ECG_PRESET, snrDb: [3, 6], segmentSeconds: 20 }, new Rng(seed));
      const snr = snrDb(clean, noisy);
      expect(snr).toBeGreaterThan(2.9);
      expect(snr).toBeLessThan(6.1);
    }
  });

  it('augments rows into copies with the clean target repeated, NaN kept', () => {
    const { values } = syntheticEcg(4, fs, 2, 5);
    values[10] = NaN;
    const a = augmentRows(values, 2, fs, { ...ECG_PRESET, copies: 3 }, 7);
    expect(a.noisy.length).toBe(values.length * 3);
    expect(a.segments).toEqual([values.length / 2, values.length / 2, values.length / 2]);
    expect(Array.from(a.clean.subarray(values.length, 2 * values.length))).toEqual(Array.from(values));
    expect(Number.isNaN(a.noisy[10]!)).toBe(true);
    expect(a.noisy.subarray(0, 100)).not.toEqual(a.noisy.subarray(values.length, values.length + 100));
    expect(augmentRows(values, 2, fs, ECG_PRESET, 7).noisy).toEqual(augmentRows(values, 2, fs, ECG_PRESET, 7).noisy);
  });
});
