import { Rng } from '../../core/rng';

/** Centered moving average of odd `width`; the window shrinks at the ends (no padding). */
export function movingAverage(x: ArrayLike<number>, width: number): Float64Array {
  if (!Number.isInteger(width) || width < 1 || width % 2 === 0) throw new RangeError(`width must be an odd positive integer, got ${width}`);
  const n = x.length;
  const half = (width - 1) / 2;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + x[i]!;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - half);
    const hi = Math.min(n, i + half + 1);
    y[i] = (prefix[hi]! - prefix[lo]!) / (hi - lo);
  }
  return y;
}

/** SNR in dB of an estimate against the clean signal: 10·log10(Σ clean² / Σ (clean − estimate)²), over all samples. */
export function snrDb(clean: ArrayLike<number>, estimate: ArrayLike<number>): number {
  if (clean.length !== estimate.length) throw new RangeError(`clean (${clean.length}) and estimate (${estimate.length}) differ in length`);
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < clean.length; i++) {
    signal += clean[i]! ** 2;
    noise += (clean[i]! - estimate[i]!) ** 2;
  }
  return 10 * Math.log10(signal / noise);
}

/** Root mean squared difference over all samples. */
export function rmse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`a (${a.length}) and b (${b.length}) differ in length`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s / a.length);
}

export interface CorruptionOptions {
  /** SNR of the Gaussian noise alone against each beat, in dB (default 5). */
  snrDb?: number;
  /** Baseline-wander amplitude as a fraction of the beat's RMS, drawn uniformly in [lo, hi] (default [0.3, 0.7]). */
  wanderAmplitude?: [number, number];
  /** Baseline-wander frequency in cycles per beat, drawn uniformly in [lo, hi] (default [0.2, 0.6]). */
  wanderCycles?: [number, number];
}

/**
 * Corrupts each beat (rows × length): white Gaussian noise with power = beat power / 10^(snr/10), plus
 * a slow sinusoid (random amplitude, frequency and phase per beat) standing in for baseline wander.
 */
/**
 * Training pairs for a denoiser: `copies` corrupted versions of every clean beat (seeds seed, seed + 1, …)
 * as input, the clean beats repeated as target.
 */
export function noisyPairs(
  clean: Float64Array,
  length: number,
  copies: number,
  seed: number,
): { input: Float64Array; target: Float64Array } {
  const input = new Float64Array(clean.length * copies);
  const target = new Float64Array(clean.length * copies);
  for (let k = 0; k < copies; k++) {
    input.set(corruptBeats(clean, length, seed + k), k * clean.length);
    target.set(clean, k * clean.length);
  }
  return { input, target };
}

export function corruptBeats(clean: Float64Array, length: number, seed: number, options: CorruptionOptions = {}): Float64Array {
  const rng = new Rng(seed);
  const snr = options.snrDb ?? 5;
  const [aLo, aHi] = options.wanderAmplitude ?? [0.3, 0.7];
  const [fLo, fHi] = options.wanderCycles ?? [0.2, 0.6];
  const out = new Float64Array(clean.length);
  for (let r = 0; r < clean.length / length; r++) {
    const beat = clean.subarray(r * length, (r + 1) * length);
    let power = 0;
    for (const v of beat) power += v * v;
    power /= length;
    const sigma = Math.sqrt(power / 10 ** (snr / 10));
    const amp = (aLo + (aHi - aLo) * rng.next()) * Math.sqrt(power);
    const cycles = fLo + (fHi - fLo) * rng.next();
    const phase = 2 * Math.PI * rng.next();
    for (let i = 0; i < length; i++) {
      out[r * length + i] = beat[i]! + sigma * rng.normal() + amp * Math.sin((2 * Math.PI * cycles * i) / length + phase);
    }
  }
  return out;
}
