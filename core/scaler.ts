import { InputError } from './errors';

export type ScalerKind = 'standard' | 'minmax' | 'global' | 'robust';
export const SCALER_KINDS: readonly ScalerKind[] = ['standard', 'minmax', 'global', 'robust'];

/** Scaler parameters as the manifest stores them: scaled = (raw - offset) / scale. */
export interface ScalerParams {
  kind: ScalerKind;
  offset: number[];
  scale: number[];
}

/** The smallest scale a feature gets; constant features keep scale 1 so scaling never divides by ~0. */
const MIN_SCALE = 1e-8;

/**
 * Fits a scaler on row-major values [rows × features]. Missing cells (NaN) are ignored per feature.
 * 'standard': offset = mean, scale = population std; 'minmax': offset = min, scale = max - min.
 * 'robust': median and IQR / 1.349 per feature (see fitRobust).
 * 'global': one offset = mean and scale = population std over every observed cell, repeated for each
 * feature (for rows that are signals: per-feature scaling would distort their shape).
 * A feature with no observed value, or a (near-)constant one, gets scale 1.
 */
export function fitScaler(values: Float32Array | Float64Array, features: number, kind: ScalerKind = 'standard'): ScalerParams {
  if (!Number.isInteger(features) || features <= 0) throw new InputError(`features must be a positive integer, got ${features}`);
  if (values.length % features !== 0) throw new InputError(`values length ${values.length} is not a multiple of features ${features}`);
  if (!SCALER_KINDS.includes(kind)) throw new InputError(`scaler must be one of ${SCALER_KINDS.join(', ')}, got '${String(kind)}'`);
  const rows = values.length / features;
  if (kind === 'global') return fitGlobal(values, features);
  if (kind === 'robust') return fitRobust(values, features);
  const offset: number[] = [];
  const scale: number[] = [];
  for (let f = 0; f < features; f++) {
    let n = 0;
    let mean = 0;
    let m2 = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let r = 0; r < rows; r++) {
      const v = values[r * features + f];
      if (!Number.isFinite(v)) continue;
      n++;
      const d = v - mean;
      mean += d / n;
      m2 += d * (v - mean);
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (n === 0) {
      offset.push(0);
      scale.push(1);
      continue;
    }
    if (kind === 'standard') {
      const std = Math.sqrt(m2 / n);
      offset.push(mean);
      scale.push(std > MIN_SCALE * Math.max(1, Math.abs(mean)) ? std : 1);
    } else {
      const range = max - min;
      offset.push(min);
      scale.push(range > MIN_SCALE * Math.max(1, Math.abs(min)) ? range : 1);
    }
  }
  return { kind, offset, scale };
}

/**
 * 'robust': offset = median, scale = IQR / 1.349 (the std of a normal with that IQR), so that a few
 * extreme rows (anomalies in the training data) do not set the scale; a feature whose IQR is ~0 (mostly
 * one value) falls back to its population std, then to 1.
 */
function fitRobust(values: Float32Array | Float64Array, features: number): ScalerParams {
  const rows = values.length / features;
  const offset: number[] = [];
  const scale: number[] = [];
  const column = new Float64Array(rows);
  for (let f = 0; f < features; f++) {
    let n = 0;
    for (let r = 0; r < rows; r++) {
      const v = values[r * features + f];
      if (Number.isFinite(v)) column[n++] = v;
    }
    const sorted = column.subarray(0, n).sort();
    if (n === 0) {
      offset.push(0);
      scale.push(1);
      continue;
    }
    const at = (p: number): number => {
      const h = (n - 1) * p;
      const lo = Math.floor(h);
      return sorted[lo] + (h - lo) * (sorted[Math.min(n - 1, lo + 1)] - sorted[lo]);
    };
    const median = at(0.5);
    const tiny = MIN_SCALE * Math.max(1, Math.abs(median));
    let s = (at(0.75) - at(0.25)) / 1.349;
    if (!(s > tiny)) {
      let mean = 0;
      for (const v of sorted) mean += v;
      mean /= n;
      let m2 = 0;
      for (const v of sorted) m2 += (v - mean) ** 2;
      s = Math.sqrt(m2 / n);
    }
    offset.push(median);
    scale.push(s > tiny ? s : 1);
  }
  return { kind: 'robust', offset, scale };
}

function fitGlobal(values: Float32Array | Float64Array, features: number): ScalerParams {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    n++;
    const d = v - mean;
    mean += d / n;
    m2 += d * (v - mean);
  }
  const std = n ? Math.sqrt(m2 / n) : 0;
  const offset = n ? mean : 0;
  const scale = std > MIN_SCALE * Math.max(1, Math.abs(offset)) ? std : 1;
  return { kind: 'global', offset: new Array<number>(features).fill(offset), scale: new Array<number>(features).fill(scale) };
}

/**
 * Applies the scaler to row-major values [rows × features] (or [windows × T × features]: the last axis
 * is the feature axis). Missing cells stay NaN. Returns a new Float32Array.
 */
export function applyScaler(params: ScalerParams, values: Float32Array | Float64Array): Float32Array {
  const f = params.offset.length;
  if (values.length % f !== 0) throw new InputError(`values length ${values.length} is not a multiple of the scaler's ${f} features`);
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const j = i % f;
    out[i] = (values[i] - params.offset[j]) / params.scale[j];
  }
  return out;
}

/** The inverse of applyScaler: raw = scaled * scale + offset. */
export function invertScaler(params: ScalerParams, values: Float32Array | Float64Array): Float32Array {
  const f = params.offset.length;
  if (values.length % f !== 0) throw new InputError(`values length ${values.length} is not a multiple of the scaler's ${f} features`);
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const j = i % f;
    out[i] = values[i] * params.scale[j] + params.offset[j];
  }
  return out;
}
