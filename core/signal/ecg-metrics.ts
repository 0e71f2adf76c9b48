import { detectRPeaks } from './r-peaks';

/** SNR in dB of `estimate` against `clean` over the samples where `include` (default all) holds and both are finite. */
export function snrDb(clean: ArrayLike<number>, estimate: ArrayLike<number>, include?: (i: number) => boolean): number {
  let s = 0;
  let e = 0;
  for (let i = 0; i < clean.length; i++) {
    if (include && !include(i)) continue;
    const c = clean[i]!;
    const v = estimate[i]!;
    if (!Number.isFinite(c) || !Number.isFinite(v)) continue;
    s += c * c;
    e += (c - v) ** 2;
  }
  return 10 * Math.log10(s / e);
}

/** Percentage root-mean-square difference, 100 · √(Σ(clean − estimate)² / Σ clean²) (so SNR = −20·log10(PRD/100)). */
export function prdPercent(clean: ArrayLike<number>, estimate: ArrayLike<number>): number {
  return 100 * 10 ** (-snrDb(clean, estimate) / 20);
}

export interface BeatMorphology {
  /** R-peak sample indices found in the clean signal. */
  peaks: number[];
  /** True for the beats called atypical. */
  atypical: boolean[];
  /** Each beat's distance from the median template (RMS difference / template RMS). */
  distance: number[];
}

/** Beat segment around an R peak: 0.25 s before to 0.45 s after. */
export const BEAT_BEFORE_S = 0.25;
export const BEAT_AFTER_S = 0.45;

/**
 * Finds the beats of a clean recording and calls a beat atypical when its distance from the median beat
 * template (all leads, R peak ± the beat segment) is a Tukey outlier, above Q3 + 1.5·IQR of the distances;
 * when no beat is, the 10 % most distant beats (at least one) are the atypical ones, so the figure is always
 * measured on the beats least like the rest. `labels` (one per detected peak, true = abnormal) overrides this.
 */
export function beatMorphology(clean: ArrayLike<number>, leads: number, fs: number, labels?: boolean[]): BeatMorphology {
  const n = Math.floor(clean.length / leads);
  const peaks = detectRPeaks(clean, leads, fs).filter((p) => p >= Math.round(BEAT_BEFORE_S * fs) && p + Math.round(BEAT_AFTER_S * fs) < n);
  const before = Math.round(BEAT_BEFORE_S * fs);
  const len = before + Math.round(BEAT_AFTER_S * fs);
  const beats = peaks.map((p) => {
    const b = new Float64Array(len * leads);
    for (let k = 0; k < len; k++) {
      for (let j = 0; j < leads; j++) {
        const v = clean[(p - before + k) * leads + j]!;
        b[k * leads + j] = Number.isFinite(v) ? v : 0;
      }
    }
    return b;
  });
  const template = new Float64Array(len * leads);
  const column = new Float64Array(beats.length);
  for (let i = 0; i < template.length && beats.length; i++) {
    beats.forEach((b, k) => (column[k] = b[i]!));
    template[i] = median(column);
  }
  let tRms = 0;
  for (const v of template) tRms += v * v;
  tRms = Math.sqrt(tRms / Math.max(1, template.length)) || 1;
  const distance = beats.map((b) => {
    let s = 0;
    for (let i = 0; i < b.length; i++) s += (b[i]! - template[i]!) ** 2;
    return Math.sqrt(s / b.length) / tRms;
  });
  let atypical: boolean[];
  if (labels && labels.length === peaks.length) {
    atypical = labels;
  } else {
    const sorted = Float64Array.from(distance).sort();
    const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
    const fence = q(0.75) + 1.5 * (q(0.75) - q(0.25));
    atypical = distance.map((d) => d > fence);
    if (!atypical.some(Boolean) && distance.length) {
      const cut = sorted[Math.max(0, sorted.length - Math.max(1, Math.round(0.1 * sorted.length)))]!;
      atypical = distance.map((d) => d >= cut);
    }
  }
  return { peaks, atypical, distance };
}

export interface DenoiseFigures {
  snr_db: number;
  snr_noisy_db: number;
  atypical_snr_db: number;
  atypical_snr_noisy_db: number;
  prd_percent: number;
  r_amplitude_error_percent: number;
  beats: number;
  atypical_beats: number;
}

/** Samples (rows) within ±`halfWidthS` of the given peaks. */
export function nearPeaks(peaks: readonly number[], rows: number, fs: number, halfWidthS = 0.3): Uint8Array {
  const near = new Uint8Array(rows);
  const h = Math.round(halfWidthS * fs);
  for (const p of peaks) near.fill(1, Math.max(0, p - h), Math.min(rows, p + h + 1));
  return near;
}

/**
 * The validation figures of a denoiser on one recording (rows × leads): SNR over all samples, SNR over the
 * samples within ±0.3 s of atypical beats (for the estimate and for the noisy input), PRD, and the R-peak
 * amplitude error: mean |estimate − clean| at each lead's R sample over mean |clean| there, in percent
 * (each lead's R sample: its largest |value| within ±40 ms of the detected peak, in the clean signal).
 */
export function denoiseFigures(
  clean: ArrayLike<number>, noisy: ArrayLike<number>, estimate: ArrayLike<number>, leads: number, fs: number, labels?: boolean[],
): DenoiseFigures {
  const rows = Math.floor(clean.length / leads);
  const m = beatMorphology(clean, leads, fs, labels);
  const atypicalPeaks = m.peaks.filter((_, k) => m.atypical[k]);
  const near = nearPeaks(atypicalPeaks, rows, fs);
  const inAtypical = (i: number): boolean => near[Math.floor(i / leads)] === 1;
  const w = Math.round(0.04 * fs);
  let err = 0;
  let amp = 0;
  for (const p of m.peaks) {
    for (let j = 0; j < leads; j++) {
      let best = p;
      for (let i = Math.max(0, p - w); i <= Math.min(rows - 1, p + w); i++) {
        if (Math.abs(clean[i * leads + j]!) > Math.abs(clean[best * leads + j]!)) best = i;
      }
      const c = clean[best * leads + j]!;
      const e = estimate[best * leads + j]!;
      if (!Number.isFinite(c) || !Number.isFinite(e)) continue;
      err += Math.abs(e - c);
      amp += Math.abs(c);
    }
  }
  return {
    snr_db: snrDb(clean, estimate),
    snr_noisy_db: snrDb(clean, noisy),
    atypical_snr_db: atypicalPeaks.length ? snrDb(clean, estimate, inAtypical) : NaN,
    atypical_snr_noisy_db: atypicalPeaks.length ? snrDb(clean, noisy, inAtypical) : NaN,
    prd_percent: prdPercent(clean, estimate),
    r_amplitude_error_percent: amp > 0 ? (100 * err) / amp : NaN,
    beats: m.peaks.length,
    atypical_beats: atypicalPeaks.length,
  };
}

/**
 * The morphology gate: the denoised atypical-beat SNR must not fall below the noisy input's (and, when no
 * beats were found, the overall SNR must not). Returns the reason it failed, or null when it passed.
 */
export function morphologyGate(f: DenoiseFigures): string | null {
  if (f.atypical_beats > 0) {
    return f.atypical_snr_db >= f.atypical_snr_noisy_db ? null : 'the SNR near atypical beats is below the noisy input\'s';
  }
  return f.snr_db >= f.snr_noisy_db ? null : 'no beats were found and the overall SNR is below the noisy input\'s';
}

function median(a: Float64Array): number {
  const s = Float64Array.from(a).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
