import { Rng } from '../../core/rng';
import { dominantPeriod } from '../../training/models/auto-impute-series/period';

/** Issue 14's series protocol: 10 % of the cells missing at random plus 5 gaps of 24 rows, per column. */
export const MCAR_SHARE = 0.1;
export const GAPS = 5;
export const GAP_ROWS = 24;

/** 1 at each hidden cell (row · F + column): per column, each cell with probability MCAR_SHARE, then GAPS runs of GAP_ROWS rows. */
export function seriesMask(n: number, f: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const mask = new Uint8Array(n * f);
  for (let j = 0; j < f; j++) {
    for (let i = 0; i < n; i++) if (rng.next() < MCAR_SHARE) mask[i * f + j] = 1;
    for (let g = 0; g < GAPS && n > GAP_ROWS + 2; g++) {
      const s = 1 + rng.int(n - GAP_ROWS - 1);
      for (let i = s; i < s + GAP_ROWS; i++) mask[i * f + j] = 1;
    }
  }
  return mask;
}

/** Linear interpolation in time between each hidden cell's observed neighbours in its column; ends: the nearest observed value. */
export function linearInTime(values: Float64Array, mask: Uint8Array, times: Float64Array, f: number): Float64Array {
  const n = times.length;
  const out = Float64Array.from(values);
  for (let j = 0; j < f; j++) {
    let prev = -1;
    for (let i = 0; i <= n; i++) {
      if (i < n && mask[i * f + j]) continue;
      // rows prev+1 … i−1 are hidden
      for (let k = prev + 1; k < i; k++) {
        if (prev < 0 && i >= n) out[k * f + j] = NaN;
        else if (prev < 0) out[k * f + j] = values[i * f + j]!;
        else if (i >= n) out[k * f + j] = values[prev * f + j]!;
        else {
          const a = values[prev * f + j]!;
          const b = values[i * f + j]!;
          out[k * f + j] = a + ((b - a) * (times[k]! - times[prev]!)) / (times[i]! - times[prev]!);
        }
      }
      prev = i;
    }
  }
  return out;
}

/**
 * The seasonal baseline: a hidden cell takes the mean of the observed cells one dominant period before and after it
 * (period: training/models/auto-impute-series/period.ts on the observed series), else the linear fill.
 */
export function seasonalNaive(values: Float64Array, mask: Uint8Array, times: Float64Array, f: number): Float64Array {
  const n = times.length;
  const linear = linearInTime(values, mask, times, f);
  const out = Float64Array.from(linear);
  for (let j = 0; j < f; j++) {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = mask[i * f + j] ? NaN : values[i * f + j]!;
    const p = dominantPeriod(col);
    if (p === 0) continue;
    for (let i = 0; i < n; i++) {
      if (!mask[i * f + j]) continue;
      let s = 0;
      let c = 0;
      for (const k of [i - p, i + p]) {
        if (k >= 0 && k < n && !mask[k * f + j]) {
          s += values[k * f + j]!;
          c++;
        }
      }
      if (c) out[i * f + j] = s / c;
    }
  }
  return out;
}

/** Per column: RMSE over the hidden cells / the column's sd over all rows (NaN: nothing hidden or a flat column); then their mean. */
export function normalisedRmse(truth: Float64Array, filled: ArrayLike<number>, mask: Uint8Array, f: number): number {
  const n = truth.length / f;
  let sum = 0;
  let cols = 0;
  for (let j = 0; j < f; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += truth[i * f + j]!;
    mean /= n;
    let v = 0;
    let se = 0;
    let k = 0;
    for (let i = 0; i < n; i++) {
      v += (truth[i * f + j]! - mean) ** 2;
      if (mask[i * f + j]) {
        se += (Number(filled[i * f + j]) - truth[i * f + j]!) ** 2;
        k++;
      }
    }
    const sd = Math.sqrt(v / Math.max(n - 1, 1));
    if (k === 0 || !(sd > 0)) continue;
    sum += Math.sqrt(se / k) / sd;
    cols++;
  }
  return cols ? sum / cols : NaN;
}
