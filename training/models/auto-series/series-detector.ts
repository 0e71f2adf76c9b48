import { fitScaler, type ScalerParams } from '../../../core/scaler';
import { TrainingConfigError } from '../../errors';
import { chooseWindow, MIN_WINDOW, type WindowChoice } from './choose-window';

/** Most reference windows stored in the graph (its MatMul is [N, 2·T·F] × [2·T·F, R]). */
export const MAX_REFERENCE_WINDOWS = 2000;
/** Fewest training rows auto-series trains on (two minimum windows). */
export const MIN_SERIES_ROWS = 2 * MIN_WINDOW;

/**
 * The time-series detector of kind 'auto' with a time column: a nearest-neighbour predictor over windows.
 * A window of the last T rows (robust-scaled per feature, float32) is matched against stored training
 * windows by squared distance over its observed cells; of the two nearest, the first at a distance > 0 is
 * its neighbour (so a training window is not its own neighbour, and scoring the training rows gives
 * leave-one-out scores). The row's score is the RMS, over the newest row's observed features, of the
 * difference between the newest row and the neighbour's last row: the error of the newest step given the
 * best-matching context, so a spike of k rows scores k rows high, not T.
 */
export interface SeriesDetector {
  window: number;
  features: number;
  scaler: ScalerParams;
  /** reference windows, scaled, float32-rounded, row-major [rows × T·F] */
  reference: Float32Array;
  rows: number;
  /** the stride between kept training windows (1 unless there were more than MAX_REFERENCE_WINDOWS) */
  stride: number;
  choice: WindowChoice;
  /** features whose training values were constant (scale 1: scores are in raw units there) */
  constant: string[];
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
  const t = choice.window;
  const scaler = fitScaler(values, f, 'robust');
  const constant = names.filter((_, j) => isConstant(values, f, j));
  const d = t * f;
  const starts: number[] = [];
  for (let r = 0; r + t <= rows; r++) {
    let ok = true;
    for (let c = r * f; c < (r + t) * f && ok; c++) ok = Number.isFinite(values[c]!);
    if (ok) starts.push(r);
  }
  const stride = Math.max(1, Math.ceil(starts.length / MAX_REFERENCE_WINDOWS));
  const kept = starts.filter((_, i) => i % stride === 0);
  if (kept.length < 2) {
    throw new TrainingConfigError(`auto for a time series found ${kept.length} complete training window(s) of ${t} rows; it needs 2`);
  }
  const reference = new Float32Array(kept.length * d);
  kept.forEach((r, i) => scaleInto(values.subarray(r * f, (r + t) * f), scaler, reference.subarray(i * d, (i + 1) * d)));
  return { window: t, features: f, scaler, reference, rows: kept.length, stride, choice, constant };
}

/** Scaled float32 cells as the graph computes them: fround(fround(x − offset) / scale); missing → 0. */
export function scaleInto(raw: ArrayLike<number>, scaler: ScalerParams, out: Float32Array): Float32Array {
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
  /** squared error of the newest row per feature, scaled space, 0 where missing [N × F] */
  featureError: Float32Array;
}

/**
 * JS reference of the graph: scores windows x [N × T × F] raw units, NaN = missing (the mask of the graph).
 * Used for the calibration scores (every training window) and by the tests that compare it with onnxruntime.
 */
export function scoreSeriesWindows(det: SeriesDetector, x: Float32Array): SeriesScores {
  const { window: t, features: f, reference: ref, rows: m } = det;
  const d = t * f;
  const n = x.length / d;
  const score = new Float32Array(n);
  const featureError = new Float32Array(n * f);
  const s = new Float32Array(d);
  for (let i = 0; i < n; i++) {
    const win = x.subarray(i * d, (i + 1) * d);
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
      featureError[i * f + j] = e * e;
      sum += e * e;
      observed++;
    }
    score[i] = Math.sqrt(sum / Math.max(observed, 1));
  }
  return { score, featureError };
}

/** Every complete training window (stride 1) as [N × T × F], and the row each ends at. */
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
