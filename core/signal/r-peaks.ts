import { butterworth, filtfilt } from './butterworth';

/**
 * R-peak detection on one or more leads (rows × leads, row-major), after Pan & Tompkins (1985), simplified:
 * each lead is band-passed 5–15 Hz (zero-phase Butterworth), differentiated and squared; the leads are summed
 * and integrated over 150 ms; QRS candidates are local maxima of that envelope above 30 % of its 99.5th
 * percentile, at least 250 ms apart (the larger wins). Each R peak is then placed at the sample of largest
 * summed |band-passed| amplitude within ±75 ms. Flat or non-finite leads contribute nothing.
 * Returns the R-peak sample indices in increasing order.
 */
export function detectRPeaks(values: ArrayLike<number>, leads: number, fs: number): number[] {
  const n = Math.floor(values.length / leads);
  if (n < Math.round(fs)) return [];
  const hi = Math.min(15 / fs, 0.45);
  const lo = 5 / fs;
  const bands = lo < hi ? [butterworth(2, hi, 'lowpass'), butterworth(1, lo, 'highpass')] : [butterworth(2, hi, 'lowpass')];
  const energy = new Float64Array(n);
  const amplitude = new Float64Array(n);
  const lead = new Float64Array(n);
  for (let j = 0; j < leads; j++) {
    let finite = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i * leads + j]!;
      lead[i] = Number.isFinite(v) ? v : 0;
      if (Number.isFinite(v)) finite++;
    }
    if (finite < n / 2) continue;
    let y: Float64Array = lead;
    for (const b of bands) y = filtfilt(b, y);
    let scale = 0;
    for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(y[i]!));
    if (!(scale > 0)) continue;
    for (let i = 1; i < n; i++) {
      energy[i] = energy[i]! + ((y[i]! - y[i - 1]!) / scale) ** 2;
      amplitude[i] = amplitude[i]! + Math.abs(y[i]!) / scale;
    }
  }
  const w = Math.max(1, Math.round(0.15 * fs));
  const env = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += energy[i]!;
    if (i >= w) acc -= energy[i - w]!;
    env[i] = acc / w;
  }
  const sorted = Float64Array.from(env).sort();
  const threshold = 0.3 * sorted[Math.min(n - 1, Math.floor(0.995 * n))]!;
  if (!(threshold > 0)) return [];
  const refractory = Math.round(0.25 * fs);
  const peaks: number[] = [];
  for (let i = 1; i < n - 1; i++) {
    if (env[i]! < threshold || env[i]! < env[i - 1]! || env[i]! < env[i + 1]!) continue;
    const last = peaks[peaks.length - 1];
    if (last !== undefined && i - last < refractory) {
      if (env[i]! > env[last]!) peaks[peaks.length - 1] = i;
    } else {
      peaks.push(i);
    }
  }
  // the integration window lags the QRS by about w/2: search ±75 ms around the centre of the window
  const search = Math.round(0.075 * fs);
  const refined = peaks.map((p) => {
    const c = p - (w >> 1);
    let best = Math.max(0, c - search);
    for (let i = Math.max(0, c - search); i <= Math.min(n - 1, c + search); i++) if (amplitude[i]! > amplitude[best]!) best = i;
    return best;
  });
  return [...new Set(refined)].sort((a, b) => a - b);
}
