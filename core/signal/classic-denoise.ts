import { butterworth, filtfilt, type Biquad } from './butterworth';
import { levelsBelow, waveletDenoise } from './wavelet';

/** A classical denoiser of one lead (whole signal in, same length out; NaN stays NaN). */
export type LeadFilter = (lead: Float64Array) => Float64Array;

/**
 * Zero-phase Butterworth band-pass: a high-pass of order 2 at `lowHz` (baseline wander) and a low-pass of
 * order 4 at `highHz` (power line, EMG), each run forward and backward (filtfilt). NaN gaps are bridged by
 * linear interpolation for filtering and restored to NaN after.
 */
export function bandpassFilter(fs: number, lowHz: number, highHz: number): LeadFilter {
  const sections: Biquad[][] = [];
  if (lowHz > 0) sections.push(butterworth(2, lowHz / fs, 'highpass'));
  if (highHz < fs / 2) sections.push(butterworth(4, highHz / fs, 'lowpass'));
  return (lead) => withGapsBridged(lead, (x) => sections.reduce((y, s) => filtfilt(s, y), x));
}

/**
 * Wavelet-threshold denoiser (core/signal/wavelet.ts): detail bands above ~15 Hz soft-thresholded, the
 * approximation below `baselineHz` (default 0.7 Hz; 0 keeps it) zeroed to remove baseline wander.
 */
export function waveletFilter(fs: number, thresholdScale = 1, baselineHz = 0.7): LeadFilter {
  const levels = levelsBelow(fs, baselineHz > 0 ? baselineHz : 0.7);
  const thresholdLevels = Math.max(1, Math.floor(Math.log2(fs / 30)));
  return (lead) => withGapsBridged(lead, (x) =>
    waveletDenoise(x, { levels, thresholdScale, thresholdLevels, dropApproximation: baselineHz > 0 }));
}

function withGapsBridged(lead: Float64Array, run: (x: Float64Array) => Float64Array): Float64Array {
  const n = lead.length;
  if (n < 2) return Float64Array.from(lead);
  const x = Float64Array.from(lead);
  let last = -1;
  for (let i = 0; i <= n; i++) {
    if (i < n && !Number.isFinite(x[i]!)) continue;
    if (i - last > 1) {
      const a = last >= 0 ? x[last]! : i < n ? x[i]! : 0;
      const b = i < n ? x[i]! : a;
      for (let k = last + 1; k < i; k++) x[k] = a + ((b - a) * (k - last)) / (i - last);
    }
    last = i;
  }
  const y = run(x);
  for (let i = 0; i < n; i++) if (!Number.isFinite(lead[i]!)) y[i] = NaN;
  return y;
}
