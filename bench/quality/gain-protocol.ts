import { Rng } from '../../core/rng';

/**
 * The GAIN paper's imputation protocol (jsyoon0823/GAIN utils.py), on row-major [rows × columns] data.
 */

/** MCAR: each cell is missing with probability `rate`, independently. Returns 1 = observed, 0 = missing. */
export function mcarMask(cells: number, rate: number, seed: number): Uint8Array {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`rate must be in [0, 1), got ${rate}`);
  const rng = new Rng(seed);
  const mask = new Uint8Array(cells);
  for (let i = 0; i < cells; i++) mask[i] = rng.next() >= rate ? 1 : 0;
  return mask;
}

/** Per-column min and max of the (complete) data. */
export function columnRange(values: Float64Array, columns: number): { min: Float64Array; max: Float64Array } {
  const min = new Float64Array(columns).fill(Infinity);
  const max = new Float64Array(columns).fill(-Infinity);
  for (let i = 0; i < values.length; i++) {
    const j = i % columns;
    const v = values[i]!;
    if (v < min[j]!) min[j] = v;
    if (v > max[j]!) max[j] = v;
  }
  return { min, max };
}

/**
 * GAIN's `rounding`: columns with fewer than 20 distinct observed values (in the data with missing
 * cells) have their imputed values rounded to the nearest integer. Returns the rounded copy.
 */
export function roundCategorical(
  imputed: Float64Array,
  observed: Float64Array,
  mask: Uint8Array,
  columns: number,
  maxDistinct = 20,
): Float64Array {
  const out = imputed.slice();
  const rows = imputed.length / columns;
  for (let j = 0; j < columns; j++) {
    const distinct = new Set<number>();
    for (let r = 0; r < rows && distinct.size < maxDistinct; r++) if (mask[r * columns + j]) distinct.add(observed[r * columns + j]!);
    if (distinct.size >= maxDistinct) continue;
    for (let r = 0; r < rows; r++) out[r * columns + j] = Math.round(out[r * columns + j]!);
  }
  return out;
}

/**
 * GAIN's `rmse_loss`: both tables min-max normalised with the complete data's column ranges,
 * (x − min)/(max − min + 1e-6), then the RMSE over the missing cells (mask 0) only.
 */
export function gainRmse(truth: Float64Array, imputed: Float64Array, mask: Uint8Array, columns: number): number {
  const { min, max } = columnRange(truth, columns);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < truth.length; i++) {
    if (mask[i]) continue;
    const j = i % columns;
    const d = (truth[i]! - imputed[i]!) / (max[j]! - min[j]! + 1e-6);
    sum += d * d;
    n++;
  }
  return Math.sqrt(sum / n);
}

/** Mean imputation: each missing cell gets its column's observed mean. */
export function meanImpute(values: Float64Array, mask: Uint8Array, columns: number): Float64Array {
  const sum = new Float64Array(columns);
  const count = new Float64Array(columns);
  for (let i = 0; i < values.length; i++) {
    if (!mask[i]) continue;
    sum[i % columns] += values[i]!;
    count[i % columns]++;
  }
  const out = values.slice();
  for (let i = 0; i < values.length; i++) if (!mask[i]) out[i] = count[i % columns] ? sum[i % columns]! / count[i % columns]! : 0;
  return out;
}

/** The table with missing cells (mask 0) set to NaN, as an input file would leave them empty. */
export function withMissing(values: Float64Array, mask: Uint8Array): Float64Array {
  const out = values.slice();
  for (let i = 0; i < out.length; i++) if (!mask[i]) out[i] = NaN;
  return out;
}

/** Mean and sample standard deviation. */
export function meanSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, sd };
}
