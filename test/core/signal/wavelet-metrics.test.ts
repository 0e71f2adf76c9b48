import { Rng } from '../../../core/rng';
import { bandpassFilter, waveletFilter } from '../../../core/signal/classic-denoise';
import { beatMorphology, denoiseFigures, morphologyGate, prdPercent, snrDb } from '../../../core/signal/ecg-metrics';
import { detectRPeaks } from '../../../core/signal/r-peaks';
import { syntheticEcg } from '../../../core/signal/synthetic-ecg';
import { dwtStep, idwtStep, waveletDenoise } from '../../../core/signal/wavelet';

describe('wavelet denoiser', () => {
  it('reconstructs perfectly when nothing is thresholded', () => {
    const rng = new Rng(1);
    const x = Float64Array.from({ length: 64 }, () => rng.normal());
    const { a, d } = dwtStep(x);
    const y = idwtStep(a, d);
    x.forEach((v, i) => expect(y[i]).toBeCloseTo(v, 10));
  });

  it('raises the SNR of a noisy ECG and keeps NaN gaps NaN', () => {
    const fs = 500;
    const clean = Float64Array.from(syntheticEcg(10, fs, 1, 2).values);
    const rng = new Rng(3);
    const noisy = clean.map((v) => v + 0.1 * rng.normal());
    noisy[100] = NaN;
    const out = waveletFilter(fs)(noisy);
    expect(Number.isNaN(out[100]!)).toBe(true);
    expect(snrDb(clean, out)).toBeGreaterThan(snrDb(clean, noisy) + 3);
    expect(waveletDenoise(new Float64Array(8), { levels: 3 })).toEqual(new Float64Array(8));
  });
});

describe('band-pass filter', () => {
  it('removes baseline wander and hum, keeps a flat lead flat', () => {
    const fs = 500;
    const clean = Float64Array.from(syntheticEcg(10, fs, 1, 4).values);
    const noisy = clean.map((v, i) => v + 0.5 * Math.sin((2 * Math.PI * 0.2 * i) / fs) + 0.2 * Math.sin((2 * Math.PI * 50 * i) / fs));
    const out = bandpassFilter(fs, 0.5, 40)(noisy);
    expect(snrDb(clean, out)).toBeGreaterThan(snrDb(clean, noisy) + 6);
    expect(Array.from(bandpassFilter(fs, 0.5, 40)(new Float64Array(1000))).every((v) => v === 0)).toBe(true);
  });
});

describe('ECG figures', () => {
  const fs = 360;
  const ecg = syntheticEcg(30, fs, 2, 6, { abnormalEvery: 5 });

  it('finds the R peaks of every beat within 20 ms', () => {
    const found = detectRPeaks(ecg.values, 2, fs);
    expect(found.length).toBe(ecg.peaks.length);
    found.forEach((p, k) => expect(Math.abs(p - ecg.peaks[k]!)).toBeLessThanOrEqual(Math.round(0.02 * fs)));
    expect(detectRPeaks(new Float32Array(2 * fs * 5), 2, fs)).toEqual([]);
  });

  it('calls the premature wide beats atypical without labels', () => {
    const m = beatMorphology(ecg.values, 2, fs);
    const truth = m.peaks.map((p) => ecg.abnormal[ecg.peaks.findIndex((q) => Math.abs(q - p) < 0.05 * fs)]);
    expect(m.atypical).toEqual(truth);
  });

  it('gates a denoiser that flattens the atypical beats', () => {
    const rng = new Rng(8);
    const clean = ecg.values;
    const noisy = clean.map((v) => v + 0.15 * rng.normal());
    const near = new Uint8Array(clean.length / 2);
    ecg.peaks.forEach((p, k) => ecg.abnormal[k] && near.fill(1, p - 0.3 * fs, p + 0.3 * fs));
    // "perfect" on normal beats, zero (flattened) around abnormal ones
    const flattening = clean.map((v, i) => (near[i >> 1] ? 0 : v));
    const f = denoiseFigures(clean, noisy, flattening, 2, fs);
    expect(f.atypical_beats).toBe(ecg.abnormal.filter(Boolean).length - 0);
    expect(f.snr_db).toBeGreaterThan(f.snr_noisy_db - 10);
    expect(f.atypical_snr_db).toBeLessThan(f.atypical_snr_noisy_db);
    expect(morphologyGate(f)).toMatch(/atypical/);
    const good = denoiseFigures(clean, noisy, clean.map((v, i) => v + 0.3 * (noisy[i]! - v)), 2, fs);
    expect(morphologyGate(good)).toBeNull();
    expect(good.prd_percent).toBeCloseTo(prdPercent(clean, clean.map((v, i) => v + 0.3 * (noisy[i]! - v))), 9);
    expect(good.r_amplitude_error_percent).toBeLessThan(10);
  });
});
