import { InternalError } from '../errors';
import { firLead, lowpassFir } from './fir';
import { overlapWeights, overlapWindowStarts } from './overlap-weights';

/** High-pass (baseline-removal) cut-offs (Hz) the default denoiser's filter branch chooses from; 0 = none (baseline kept). */
export const HIGHPASS_GRID_HZ = [0, 0.3, 0.5, 0.7, 1, 1.5];

/**
 * The baseline estimate of a window of `t` rows as a t × t matrix (row-major, row i = the weights of output row i):
 * a windowed-sinc low-pass at `cutoff` cycles per sample (2t − 1 taps, so it spans the whole window from any row)
 * centred on row i, truncated to the window and renormalised to unit gain — a zero-phase low-pass with no zero
 * padding at the window's edges. Subtracted from a low-pass it makes the filter branch a band-pass (baseline
 * wander removed) inside the window, which is all a windowed ONNX graph sees.
 */
export function baselineMatrix(cutoff: number, t: number): Float32Array {
  if (!Number.isInteger(t) || t < 2) throw new InternalError(`window must be an integer ≥ 2, got ${t}`);
  const h = lowpassFir(cutoff, 2 * t - 1);
  const m = new Float32Array(t * t);
  for (let i = 0; i < t; i++) {
    let sum = 0;
    for (let j = 0; j < t; j++) sum += h[j - i + t - 1]!;
    for (let j = 0; j < t; j++) m[i * t + j] = h[j - i + t - 1]! / sum;
  }
  return m;
}

/**
 * One lead's baseline as the windowed model sees it: windows of `t` rows every `hop` rows (plus one ending at the
 * last row), each multiplied by `matrix` (baselineMatrix), overlap-added with the denoiser's weights. NaN counts as 0.
 */
export function windowedBaseline(lead: Float64Array, matrix: Float32Array, t: number, hop: number): Float64Array {
  const n = lead.length;
  const out = new Float64Array(n);
  if (n < t) return out;
  const count = new Float64Array(n);
  const w = overlapWeights(t, hop);
  const starts = overlapWindowStarts(n, t, hop);
  for (const s of starts) {
    for (let i = 0; i < t; i++) {
      let acc = 0;
      for (let j = 0; j < t; j++) {
        const v = lead[s + j]!;
        if (Number.isFinite(v)) acc += matrix[i * t + j]! * v;
      }
      out[s + i]! += w[i]! * acc;
      count[s + i]! += w[i]!;
    }
  }
  for (let i = 0; i < n; i++) out[i]! /= count[i]!;
  return out;
}

/**
 * Chooses the filter branch's high-pass cut-off on noisy → clean training pairs (rows × leads, at most `maxRows`
 * rows from the start used), given its low-pass FIR `lowpass`: the HIGHPASS_GRID_HZ value (0 = none) whose branch
 * — the low-pass minus the windowed baseline of the lead less its mean (the model's scaler keeps the mean) — has the
 * highest mean SNR in dB over blocks of `blockSeconds` per lead (the smallest mean log squared error: the figure the
 * gate and the bench report, not the squared error that the noisiest blocks would decide alone). Returns Hz (0 for none).
 */
export function chooseHighpassHz(noisy: ArrayLike<number>, clean: ArrayLike<number>, leads: number, fs: number,
  lowpass: Float32Array, t: number, hop: number, maxRows = 20000, blockSeconds = 10): number {
  const block = Math.max(t, Math.round(blockSeconds * fs));
  const rows = Math.min(Math.floor(noisy.length / leads), maxRows);
  const x = Array.prototype.slice.call(noisy, 0, rows * leads) as number[];
  const low = Array.from({ length: leads }, (_, j) => firLead(x, leads, j, lowpass));
  const mean = low.map((_, j) => {
    let s = 0;
    let k = 0;
    for (let i = 0; i < rows; i++) if (Number.isFinite(x[i * leads + j]!)) [s, k] = [s + x[i * leads + j]!, k + 1];
    return k > 0 ? s / k : 0;
  });
  const lead = new Float64Array(rows);
  let best = 0;
  let bestErr = Infinity;
  for (const hz of HIGHPASS_GRID_HZ.filter((v) => v < 0.45 * fs)) {
    const matrix = hz > 0 ? baselineMatrix(hz / fs, t) : null;
    let err = 0;
    for (let j = 0; j < leads; j++) {
      for (let i = 0; i < rows; i++) lead[i] = x[i * leads + j]! - mean[j]!;
      const base = matrix ? windowedBaseline(lead, matrix, t, hop) : null;
      for (let b = 0; b < rows; b += block) {
        let e = 0;
        for (let i = b; i < Math.min(rows, b + block); i++) {
          const c = clean[i * leads + j]!;
          const y = low[j]![i]! - (base ? base[i]! : 0);
          if (Number.isFinite(c) && Number.isFinite(x[i * leads + j]!)) e += (y - c) ** 2;
        }
        err += Math.log(e + 1e-12);
      }
    }
    if (err < bestErr) [best, bestErr] = [hz, err];
  }
  return best;
}
