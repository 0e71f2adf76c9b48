import { InternalError } from '../../core/errors';
import { chooseLowpassHz, firLead, firTaps, lowpassFir } from '../../core/signal/fir';
import { overlapWeights } from '../../core/signal/overlap-weights';
import { autoDenoiserConfig } from '../../training/models/auto-denoiser';
import { trainingStride, TRAIN_LEAD_WINDOWS } from '../../training/signal-denoiser';

/** Amplitude response of h at f cycles per sample. */
function gain(h: Float32Array, f: number): number {
  let re = 0;
  let im = 0;
  h.forEach((v, k) => ((re += v * Math.cos(2 * Math.PI * f * k)), (im -= v * Math.sin(2 * Math.PI * f * k))));
  return Math.hypot(re, im);
}

describe('low-pass FIR (the denoiser filter branch)', () => {
  it('passes DC, keeps 10 Hz and stops 50/60 Hz at 500 Hz with 0.2 s of taps; symmetric (zero phase)', () => {
    const taps = firTaps(500);
    expect(taps).toBe(101);
    const h = lowpassFir(35 / 500, taps);
    expect(gain(h, 0)).toBeCloseTo(1, 6);
    expect(gain(h, 10 / 500)).toBeGreaterThan(0.99);
    expect(gain(h, 50 / 500)).toBeLessThan(0.01);
    expect(gain(h, 60 / 500)).toBeLessThan(0.01);
    for (let k = 0; k < taps; k++) expect(h[k]).toBeCloseTo(h[taps - 1 - k]!, 7);
    expect(() => lowpassFir(0.6, 11)).toThrow(InternalError);
    expect(() => lowpassFir(0.1, 10)).toThrow(InternalError);
  });

  it('chooses a cut-off below the power line when the noise is 50 Hz, and a high one when the signal is wideband', () => {
    const fs = 500;
    const n = 4000;
    const clean = Float32Array.from({ length: n * 2 }, (_, i) => Math.sin((2 * Math.PI * 3 * Math.floor(i / 2)) / fs) * (1 + (i % 2)));
    const hum = clean.map((v, i) => v + Math.sin((2 * Math.PI * 50 * Math.floor(i / 2)) / fs));
    const hz = chooseLowpassHz(hum, clean, 2, fs, firTaps(fs))!;
    expect(hz).toBeLessThan(50);
    // wideband clean signal (an 80 Hz tone) with no noise: the highest cut-off keeps it best
    const wide = Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * 80 * i) / fs));
    expect(chooseLowpassHz(wide, wide, 1, fs, firTaps(fs))).toBe(100);
    expect(chooseLowpassHz(wide, wide, 1, 40, 9)).toBe(null);
    // centred filtering of one lead keeps its length and a constant stays constant away from the edges
    const y = firLead(new Float32Array(300).fill(2), 1, 0, lowpassFir(0.1, 21));
    expect(y.length).toBe(300);
    expect(y[150]).toBeCloseTo(2, 5);
  });

  const SIG = { sampleRate: 250, window: 192, hop: 96 };
  it('auto: the per-lead U-Net, with a filter branch only when the sample rate is known; --config wins', () => {
    const clean = Float32Array.from({ length: 2000 }, (_, i) => Math.sin(i / 20));
    const noisy = clean.map((v, i) => v + 0.5 * Math.sin(i * 1.3));
    const withFs = autoDenoiserConfig(noisy, clean, 1, SIG);
    expect(withFs).toMatchObject({ skip: true, per_lead: true, lowpass_taps: 51 });
    expect(withFs['lowpass']).toBeGreaterThan(0);
    expect(autoDenoiserConfig(noisy, clean, 1, null)).not.toHaveProperty('lowpass');
    expect(autoDenoiserConfig(noisy, clean, 1, SIG, { per_lead: false })).toEqual(
      expect.not.objectContaining({ lowpass: expect.anything() }));
  });

  it('training stride: window/8 for a short recording, wider so windows × leads stay near the budget, at most a window', () => {
    expect(trainingStride(368, 10_000, 1)).toBe(46);
    const stride = trainingStride(368, 36_800, 12);
    expect(stride).toBe(Math.ceil((36_800 * 12) / TRAIN_LEAD_WINDOWS));
    expect((36_800 / stride) * 12).toBeLessThanOrEqual(TRAIN_LEAD_WINDOWS);
    expect(trainingStride(64, 10_000_000, 12)).toBe(64);
  });

  it('overlap weights: a triangle with a hop, flat at hop 1', () => {
    expect([...overlapWeights(6, 3)]).toEqual([1, 2, 3, 3, 2, 1]);
    expect([...overlapWeights(4, 1)]).toEqual([1, 1, 1, 1]);
  });
});
