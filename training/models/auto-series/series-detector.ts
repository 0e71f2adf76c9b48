import { fitScaler, type ScalerParams } from '../../../core/scaler';
import { TrainingConfigError } from '../../errors';
import { chooseWindow, MIN_WINDOW, type WindowChoice } from './choose-window';
import { contextFitWeights, meanSd, meanSquare, normalisedShares, type WeightRule } from './context-fit';
import { seasonalErrors, seasonalWindow, type SeasonalMember } from './seasonal-member';

/** Most reference windows stored in the graph per scale (its MatMul is [N, 2·t·F] × [2·t·F, R]). */
const MAX_REFERENCE_WINDOWS = 2000;
/** Fewest training rows auto-series trains on (two minimum windows). */
export const MIN_SERIES_ROWS = 2 * MIN_WINDOW;
/** The scales, as multiples of the chosen window w: w/2, w and 2w (chosen on the design half of NAB's dev files). */
const SCALE_FACTORS = [0.5, 1, 2] as const;
/** The seasonal member's share of the score when the training rows show a period (design half of NAB's dev files). */
export const SEASONAL_WEIGHT = 0.2;
/** Longest period the seasonal member compares across (its graph window is P + 1 rows): a day of minutes. */
export const MAX_SEASONAL_PERIOD = 1440;

/** Research knobs of the detector (bench/quality/nab-research.ts); the product uses the defaults. */
export interface SeriesOptions {
  /** the seasonal member's weight, 0 = none (default SEASONAL_WEIGHT) */
  seasonal?: number;
  /** how the nearest-window scales share the rest of the weight (default 'held-out', context-fit.ts) */
  weights?: WeightRule;
}

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
  /** its share of the score (the weights of all members sum to 1), float32 */
  weight: number;
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
  /** ascending by window; the last is the largest nearest-window scale (≤ `window`) */
  scales: SeriesScale[];
  /** the newest row against the row one period back, when the training rows show a period */
  seasonal: SeasonalMember | null;
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

export function fitSeriesDetector(
  values: Float32Array, names: readonly string[], windowOverride?: number, options: SeriesOptions = {},
): SeriesDetector {
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
  const largest = scales[scales.length - 1]!.window;
  const seasonalShare = windowOverride === undefined ? (options.seasonal ?? SEASONAL_WEIGHT) : 0;
  const period = choice.period !== null && choice.period <= MAX_SEASONAL_PERIOD && seasonalShare > 0 &&
    rows - seasonalWindow(choice.period) + 1 >= 2 ? choice.period : null;
  const window = period === null ? largest : Math.max(largest, seasonalWindow(period));
  const det: SeriesDetector = { window, features: f, scaler, scales, seasonal: null, choice, constant };
  // each scale's spread: the standard deviation of its leave-one-out scores on the training windows of the largest scale
  const cal = trainingWindows(values, f, largest);
  const probe: SeriesDetector = { ...det, window: largest };
  const errors = scales.map((s) => scaleErrors(probe, s, cal).error);
  scales.forEach((s, i) => {
    s.spread = positive(meanSd(errors[i]!).sd);
  });
  const rule = options.weights ?? 'held-out';
  const shares = rule === 'held-out' ? heldOutWeights(values, probe, scales, errors) : contextFitWeights(errors, rule);
  scales.forEach((s, i) => {
    s.weight = Math.fround(shares[i]! * (period === null ? 1 : 1 - seasonalShare));
  });
  if (period !== null) {
    const e = seasonalErrors(period, window, f, scaler, trainingWindows(values, f, window)).error;
    det.seasonal = { period, spread: positive(meanSd(e).sd), weight: Math.fround(seasonalShare) };
  }
  return det;
}

/** Share of the training rows whose references the held-out rule fits on (the rest are the held-out context). */
const FIT_SHARE = 0.75;

/**
 * 'held-out' weights: each scale refitted on the first FIT_SHARE of the training rows, its newest-step errors on the
 * windows ending in the rest (the newest row never among its references), weight ∝ mean(leave-one-out e²) / mean(held-out e²):
 * a scale whose leave-one-out fit holds on context it did not see keeps its share. Equal when the rows are too few.
 */
function heldOutWeights(
  values: Float32Array, probe: SeriesDetector, scales: SeriesScale[], loo: Float32Array[],
): number[] {
  const { features: f, scaler, window: largest } = probe;
  const rows = values.length / f;
  const cut = Math.floor(rows * FIT_SHARE);
  const equal = scales.map(() => 1 / scales.length);
  if (cut < 2 * largest || rows - cut < largest) return equal;
  const queries = trainingWindows(values.subarray((cut - largest + 1) * f), f, largest);
  const ratio = scales.map((s, i) => {
    const part = fitScale(values.subarray(0, cut * f), f, s.window, scaler);
    if (!part) return NaN;
    return meanSquare(loo[i]!) / meanSquare(scaleErrors(probe, part, queries).error);
  });
  return normalisedShares(ratio);
}

/** A spread as the graph divides by: float32, 1 when it is 0 or not finite. */
function positive(sd: number): number {
  const v = Math.fround(sd);
  return v > 0 && Number.isFinite(v) ? v : 1;
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
  return { window: t, reference, rows: kept.length, stride, spread: 1, weight: 1 };
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
  const add = (error: Float32Array, cell: Float32Array, spread: number, weight: number): void => {
    const { score: zs, cell: zc } = memberDivisors(spread, weight);
    for (let i = 0; i < n; i++) score[i] = score[i]! + error[i]! / zs;
    for (let c = 0; c < n * f; c++) featureError[c] = featureError[c]! + cell[c]! / zc;
  };
  for (const sc of det.scales) {
    const { error, cell } = scaleErrors(det, sc, x);
    add(error, cell, sc.spread, sc.weight);
  }
  const se = det.seasonal;
  if (se) {
    const { error, cell } = seasonalErrors(se.period, det.window, f, det.scaler, x);
    add(error, cell, se.spread, se.weight);
  }
  return { score, featureError };
}

/** Each member's weighted score term (error / (spread / weight)) of windows x [N × T × F], for analysis (bench/quality/nab-dump.ts). */
export function memberTerms(det: SeriesDetector, x: Float32Array): { member: string; term: Float32Array }[] {
  const term = (error: Float32Array, spread: number, weight: number): Float32Array =>
    error.map((e) => e / memberDivisors(spread, weight).score);
  const out = det.scales.map((sc) => ({ member: `scale_${sc.window}`, term: term(scaleErrors(det, sc, x).error, sc.spread, sc.weight) }));
  const se = det.seasonal;
  if (se) {
    const { error } = seasonalErrors(se.period, det.window, det.features, det.scaler, x);
    out.push({ member: `seasonal_${se.period}`, term: term(error, se.spread, se.weight) });
  }
  return out;
}

/** What the graph divides a member's error and its squared cells by: spread / weight and spread² / weight, float32. */
export function memberDivisors(spread: number, weight: number): { score: number; cell: number } {
  return { score: Math.fround(spread / weight), cell: Math.fround((spread * spread) / weight) };
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
