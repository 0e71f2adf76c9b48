import { InternalError } from '../errors';
/**
 * Linear-phase low-pass FIR by the windowed-sinc method (Hamming window): `taps` (odd) coefficients for a cut-off
 * at `cutoff` cycles per sample (0 < cutoff < 0.5), normalised to unit gain at 0 Hz. Applied centred (a
 * 'same'-padded convolution) it is zero-phase, so it can sit inside a convolutional network as a fixed layer.
 * Hand-written: a dozen lines, and the network's exporter needs the coefficients themselves.
 */
export function lowpassFir(cutoff: number, taps: number): Float32Array {
  if (!(cutoff > 0 && cutoff < 0.5)) throw new InternalError(`cutoff must be in (0, 0.5) cycles per sample, got ${cutoff}`);
  if (!Number.isInteger(taps) || taps < 3 || taps % 2 === 0) throw new InternalError(`taps must be an odd integer ≥ 3, got ${taps}`);
  const m = (taps - 1) / 2;
  const h = new Float64Array(taps);
  let sum = 0;
  for (let i = 0; i < taps; i++) {
    const k = i - m;
    const sinc = k === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * k) / (Math.PI * k);
    h[i] = sinc * (0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (taps - 1)));
    sum += h[i]!;
  }
  return Float32Array.from(h, (v) => v / sum);
}

/** Odd tap count covering about `seconds` at `fs` Hz (at least 3). */
export function firTaps(fs: number, seconds = 0.2): number {
  return Math.max(3, 2 * Math.round((seconds * fs) / 2) + 1);
}

/** Centred (zero-phase, zero-padded) FIR filtering of one lead of rows × leads; returns that lead's filtered samples. */
export function firLead(values: ArrayLike<number>, leads: number, lead: number, h: Float32Array): Float64Array {
  const n = Math.floor(values.length / leads);
  const m = (h.length - 1) / 2;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const lo = Math.max(0, i - m);
    const hi = Math.min(n - 1, i + m);
    for (let k = lo; k <= hi; k++) {
      const v = values[k * leads + lead]!;
      if (Number.isFinite(v)) s += h[k - i + m]! * v;
    }
    out[i] = s;
  }
  return out;
}

/** Low-pass cut-offs (Hz) the default denoiser's filter branch chooses from (those below 0.45·fs). */
export const LOWPASS_GRID_HZ = [20, 25, 30, 35, 40, 50, 70, 100];

/**
 * Chooses the filter branch's cut-off on noisy → clean training pairs (rows × leads, at most `maxRows` rows
 * from the start used): the grid cut-off whose low-pass of the noisy rows has the smallest squared error
 * to the clean rows. Returns Hz, or null when no grid cut-off is below 0.45·fs.
 */
export function chooseLowpassHz(noisy: ArrayLike<number>, clean: ArrayLike<number>, leads: number, fs: number,
  taps: number, maxRows = 20000): number | null {
  const rows = Math.min(Math.floor(noisy.length / leads), maxRows);
  const x = Array.prototype.slice.call(noisy, 0, rows * leads) as number[];
  let best: number | null = null;
  let bestErr = Infinity;
  for (const hz of LOWPASS_GRID_HZ.filter((v) => v < 0.45 * fs)) {
    const h = lowpassFir(hz / fs, taps);
    let err = 0;
    for (let j = 0; j < leads; j++) {
      const y = firLead(x, leads, j, h);
      for (let i = 0; i < rows; i++) {
        const c = clean[i * leads + j]!;
        if (Number.isFinite(c) && Number.isFinite(x[i * leads + j]!)) err += (y[i]! - c) ** 2;
      }
    }
    if (err < bestErr) [best, bestErr] = [hz, err];
  }
  return best;
}
