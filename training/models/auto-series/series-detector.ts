import { fitScaler, type ScalerParams } from '../../../core/scaler';
import { TrainingConfigError } from '../../errors';
import { chooseWindow, MIN_WINDOW, type WindowChoice } from './choose-window';

/** Most reference windows stored in the graph per scale (its MatMul is [N, 2·t·F] × [2·t·F, R]). */
const MAX_REFERENCE_WINDOWS = 2000;
/** Fewest training rows auto-series trains on (two minimum windows). */
export const MIN_SERIES_ROWS = 2 * MIN_WINDOW;
/** The scales, as multiples of the chosen window w: w/2, w and 2w (chosen on the design half of NAB's dev files). */
const SCALE_FACTORS = [0.5, 1, 2] as const;

/** One window scale: its reference windows and the spread its newest-step error is divided by. */
export interface SeriesScale {
  window: number;
  /** reference windows, scaled, float32-rounded, row-major [rows × window·F] */
  reference: Float32Array;
  rows: number;
  /** the stride between kept training windows (1 unless there were more than MAX_REFERENCE_WINDOWS) */
  stride: number;
  /** standard deviation of this scale's leave-one-out training scores (1 when they do not vary), float32 */
  spread: number;
}

/**
 * The time-series detector of kind 'auto' with a time column: nearest-neighbour predictors over windows at
 * several scales (w/2, w, 2w of the chosen window w). At each scale the last t rows (robust-scaled per
 * feature, float32) are matched against stored training windows of t rows by squared distance over their
 * observed cells; of the two nearest, the first at a distance > 0 is the neighbour (a training window is not
 * its own neighbour, so scoring the training rows gives leave-one-out scores). The scale's error is the RMS,
 * over the newest row's observed features, of (newest row − the neighbour's last row), divided by the
 * spread of that scale's training scores; the row's score is the mean over scales: the error of the newest
 * step given contexts of several lengths, so a spike of k rows scores about k rows high, not T.
 */
export interface SeriesDetector {
  /** the window the graph reads (the largest scale): the manifest window */
  window: number;
  features: number;
  scaler: ScalerParams;
  /** ascending by window; the last is `window` */
  scales: SeriesScale[];
  choice: WindowChoice;
  /** features whose training values were constant (scale 1: scores are in raw units there) */
  constant: string[];
}

/** The scale windows for a chosen window w and this many training rows: each needs 2 of its windows' rows. */
export function scaleWindows(w: number, rows: number, given: boolean): number[] {
  if (given) return [w];
  const out = SCALE_FACTORS.map((k) => Math.max(2, Math.round(w * k))).filter((t) => t <= w || 2 * t <= rows);
  return [...new Set(out)].sort((a, b) => a - b);
}

export function fitSeriesDetector(values: Float32Array, names: readonly string[], windowOverride?: number): SeriesDetector {
  const f = names.length;
  const rows = values.length / f;
  if (rows < MIN_SERIES_ROWS) {
    throw new TrainingConfigError(`auto for a time series needs at least ${MIN_SERIES_ROWS} training rows, got ${rows}`);
  }
  const first = Float64Array.from({ length: rows }, (_, r) => values[r * f]!);
  const choice = windowOverride
    ? { window: windowOverride, period: null, acf: null, why: `given: window ${windowOverride}` }
    : chooseWindow(first);
  const scaler = fitScaler(values, f, 'robust');
  const constant = names.filter((_, j) => isConstant(values, f, j));
  const windows = scaleWindows(choice.window, rows, windowOverride !== undefined);
  // a scale other than the chosen window with fewer than 2 complete training windows (missing cells) is left out
  const scales = windows.flatMap((t) => {
    const sc = fitScale(values, f, t, scaler);
    if (sc) return [sc];
    if (t === choice.window) {
      throw new TrainingConfigError(`auto for a time series found fewer than 2 complete training windows of ${t} rows`);
    }
    return [];
  });
  const det: SeriesDetector = { window: scales[scales.length - 1]!.window, features: f, scaler, scales, choice, constant };
  // each scale's spread: the standard deviation of its leave-one-out scores on the training windows of the graph's size
  const cal = trainingWindows(values, f, det.window);
  for (const s of scales) {
    const e = scaleErrors(det, s, cal).error;
    let m = 0;
    for (const v of e) m += v;
    m /= Math.max(e.length, 1);
    let v2 = 0;
    for (const v of e) v2 += (v - m) ** 2;
    const sd = Math.fround(Math.sqrt(v2 / Math.max(e.length, 1)));
    s.spread = sd > 0 && Number.isFinite(sd) ? sd : 1;
  }
  return det;
}

function fitScale(values: Float32Array, f: number, t: number, scaler: ScalerParams): SeriesScale | null {
  const rows = values.length / f;
  const d = t * f;
  const starts: number[] = [];
  for (let r = 0; r + t <= rows; r++) {
    let ok = true;
    for (let c = r * f; c < (r + t) * f && ok; c++) ok = Number.isFinite(values[c]!);
    if (ok) starts.push(r);
  }
  const stride = Math.max(1, Math.ceil(starts.length / MAX_REFERENCE_WINDOWS));
  const kept = starts.filter((_, i) => i % stride === 0);
  if (kept.length < 2) return null;
  const reference = new Float32Array(kept.length * d);
  kept.forEach((r, i) => scaleInto(values.subarray(r * f, (r + t) * f), scaler, reference.subarray(i * d, (i + 1) * d)));
  return { window: t, reference, rows: kept.length, stride, spread: 1 };
}

/** Scaled float32 cells as the graph computes them: fround(fround(x − offset) / scale); missing → 0. */
function scaleInto(raw: ArrayLike<number>, scaler: ScalerParams, out: Float32Array): Float32Array {
  const f = scaler.offset.length;
  for (let c = 0; c < out.length; c++) {
    const x = Math.fround(raw[c]!);
    const j = c % f;
    out[c] = Number.isFinite(x) ? Math.fround(x - Math.fround(scaler.offset[j]!)) / Math.fround(scaler.scale[j]!) : 0;
  }
  return out;
}

export interface SeriesScores {
  score: Float32Array;
  /** per feature, the mean over scales of (newest-row error / the scale's spread)², 0 where missing [N × F] */
  featureError: Float32Array;
}

/** One scale's unnormalised newest-step errors of windows x [N × T × F] (T = det.window, its last s.window rows used). */
function scaleErrors(det: SeriesDetector, sc: SeriesScale, x: Float32Array): { error: Float32Array; cell: Float32Array } {
  const { window: big, features: f } = det;
  const { window: t, reference: ref, rows: m } = sc;
  const d = t * f;
  const n = x.length / (big * f);
  const error = new Float32Array(n);
  const cell = new Float32Array(n * f);
  const s = new Float32Array(d);
  for (let i = 0; i < n; i++) {
    const win = x.subarray((i * big + big - t) * f, (i + 1) * big * f);
    scaleInto(win, det.scaler, s);
    let b1 = Infinity;
    let a1 = -1;
    let b2 = Infinity;
    let a2 = -1;
    for (let r = 0; r < m; r++) {
      let dist = 0;
      const o = r * d;
      for (let c = 0; c < d && dist < b2; c++) {
        if (!Number.isFinite(win[c]!)) continue;
        const e = s[c]! - ref[o + c]!;
        dist += e * e;
      }
      if (dist < b1) {
        b2 = b1; a2 = a1; b1 = dist; a1 = r;
      } else if (dist < b2) {
        b2 = dist; a2 = r;
      }
    }
    const at = b1 > 0 ? a1 : a2;
    let sum = 0;
    let observed = 0;
    for (let j = 0; j < f; j++) {
      const c = (t - 1) * f + j;
      if (!Number.isFinite(win[c]!)) continue;
      const e = s[c]! - ref[at * d + c]!;
      cell[i * f + j] = e * e;
      sum += e * e;
      observed++;
    }
    error[i] = Math.sqrt(sum / Math.max(observed, 1));
  }
  return { error, cell };
}

/**
 * JS reference of the graph: scores windows x [N × T × F] raw units (T = det.window), NaN = missing (the mask
 * of the graph). Used for the calibration scores (every training window) and by the tests that compare it with
 * onnxruntime.
 */
export function scoreSeriesWindows(det: SeriesDetector, x: Float32Array): SeriesScores {
  const f = det.features;
  const n = x.length / (det.window * f);
  const score = new Float32Array(n);
  const featureError = new Float32Array(n * f);
  const k = det.scales.length;
  for (const sc of det.scales) {
    const { error, cell } = scaleErrors(det, sc, x);
    for (let i = 0; i < n; i++) score[i] = score[i]! + error[i]! / sc.spread / k;
    for (let c = 0; c < n * f; c++) featureError[c] = featureError[c]! + cell[c]! / (sc.spread * sc.spread) / k;
  }
  return { score, featureError };
}

/** Every complete training window (stride 1) as [N × T × F]: window i is rows i … i + t − 1. */
export function trainingWindows(values: Float32Array, f: number, t: number): Float32Array {
  const rows = values.length / f;
  const n = Math.max(0, rows - t + 1);
  const out = new Float32Array(n * t * f);
  for (let i = 0; i < n; i++) out.set(values.subarray(i * f, (i + t) * f), i * t * f);
  return out;
}

function isConstant(values: Float32Array, f: number, j: number): boolean {
  let first = NaN;
  for (let c = j; c < values.length; c += f) {
    const v = values[c]!;
    if (!Number.isFinite(v)) continue;
    if (Number.isNaN(first)) first = v;
    else if (v !== first) return false;
  }
  return true;
}
