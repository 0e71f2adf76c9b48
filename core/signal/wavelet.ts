/**
 * Wavelet-threshold denoising (Donoho & Johnstone 1994) with the Daubechies-4 wavelet (8 taps), a periodised
 * orthogonal DWT on a symmetrically extended signal, level-dependent noise estimates (σ_j = median|d_j| / 0.6745,
 * so coloured noise such as EMG is handled per band) and soft thresholds λ_j = k · σ_j · √(2 ln n_j) on the finest
 * `thresholdLevels` detail levels (n_j coefficients).
 * `dropApproximation` zeroes the coarsest approximation: with levels chosen so that band lies under ~0.7 Hz,
 * that removes baseline wander. Written here (no maintained npm DWT library with soft thresholding and
 * typed arrays was found) and checked by perfect reconstruction in the tests.
 */
const DB4_LO = [
  -0.010597401785069032, 0.0328830116668852, 0.030841381835560764, -0.18703481171909309, -0.027983769416859854,
  0.6308807679298589, 0.7148465705529157, 0.2303778133088965,
];
const DB4_HI = DB4_LO.map((_, j) => (j % 2 === 0 ? 1 : -1) * DB4_LO[DB4_LO.length - 1 - j]!);

export interface WaveletOptions {
  /** Decomposition levels (capped so the coarsest band keeps at least 8 coefficients). */
  levels: number;
  /** Threshold multiplier k (1 = the universal threshold). */
  thresholdScale?: number;
  /** Zero the coarsest approximation (baseline removal). */
  dropApproximation?: boolean;
  /** Threshold only the finest this many detail levels (default all); coarser bands hold most of the P and T waves. */
  thresholdLevels?: number;
}

/** One periodised analysis step: n even → n/2 approximation + n/2 detail coefficients. */
export function dwtStep(x: Float64Array): { a: Float64Array; d: Float64Array } {
  const n = x.length;
  const half = n / 2;
  const a = new Float64Array(half);
  const d = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    let sa = 0;
    let sd = 0;
    for (let j = 0; j < DB4_LO.length; j++) {
      const v = x[(2 * k + j) % n]!;
      sa += DB4_LO[j]! * v;
      sd += DB4_HI[j]! * v;
    }
    a[k] = sa;
    d[k] = sd;
  }
  return { a, d };
}

/** The inverse of dwtStep (the transpose of the orthogonal analysis). */
export function idwtStep(a: Float64Array, d: Float64Array): Float64Array {
  const n = a.length * 2;
  const x = new Float64Array(n);
  for (let k = 0; k < a.length; k++) {
    for (let j = 0; j < DB4_LO.length; j++) {
      const i = (2 * k + j) % n;
      x[i] = x[i]! + DB4_LO[j]! * a[k]! + DB4_HI[j]! * d[k]!;
    }
  }
  return x;
}

/** The level count whose coarsest approximation band lies below `hz` at sample rate fs (fs / 2^(L+1) ≤ hz). */
export function levelsBelow(fs: number, hz: number): number {
  return Math.max(1, Math.ceil(Math.log2(fs / (2 * hz))));
}

/** Denoises one lead; NaN samples are treated as 0 by the transform and stay NaN in the output. */
export function waveletDenoise(x: ArrayLike<number>, options: WaveletOptions): Float64Array {
  const n = x.length;
  if (n < 16) return Float64Array.from(x);
  const k = options.thresholdScale ?? 1;
  const levels = Math.max(1, Math.min(options.levels, Math.floor(Math.log2(n / 8))));
  const block = 2 ** levels;
  const pad = Math.min(n - 1, 64);
  const total = Math.ceil((n + 2 * pad) / block) * block;
  const ext = new Float64Array(total);
  const at = (i: number): number => {
    const v = x[i]!;
    return Number.isFinite(v) ? v : 0;
  };
  for (let i = 0; i < total; i++) {
    let j = i - pad;
    if (j < 0) j = -j;
    if (j >= n) j = 2 * (n - 1) - j;
    ext[i] = at(Math.max(0, Math.min(n - 1, j)));
  }
  const details: Float64Array[] = [];
  let a: Float64Array = ext;
  for (let l = 0; l < levels; l++) {
    const s = dwtStep(a);
    details.push(s.d);
    a = s.a;
  }
  const shrink = Math.min(levels, options.thresholdLevels ?? levels);
  for (const d of details.slice(0, shrink)) {
    const lambda = k * (medianAbs(d) / 0.6745) * Math.sqrt(2 * Math.log(d.length));
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      const m = Math.abs(v) - lambda;
      d[i] = m > 0 ? Math.sign(v) * m : 0;
    }
  }
  if (options.dropApproximation) a = new Float64Array(a.length);
  for (let l = levels - 1; l >= 0; l--) a = idwtStep(a, details[l]!);
  const out = a.slice(pad, pad + n);
  for (let i = 0; i < n; i++) if (!Number.isFinite(x[i]!)) out[i] = NaN;
  return out;
}

function medianAbs(d: Float64Array): number {
  const s = Float64Array.from(d, Math.abs).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
