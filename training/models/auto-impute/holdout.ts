import type { Rng } from '../../../core/rng';

/** Rows the held-out cells are drawn from (at most). */
export const HOLDOUT_ROWS = 8000;
/**
 * Share of a row's observed cells that is hidden (at least one cell): small, so that a held-out row is about
 * as incomplete as the rows the imputer will fill (hiding many cells would favour smoother fills).
 */
export const HOLDOUT_RATE = 0.05;
/** A column keeps at least this many observed cells for fitting; below, none of its cells is held out. */
export const MIN_FIT_CELLS = 5;

export interface Holdout {
  /** The training rows with the held-out cells set to NaN. */
  values: Float32Array;
  /** Flat cell indices (row · F + column) of the held-out cells, ascending. */
  cells: Int32Array;
  /** Rows that hold at least one held-out cell, ascending. */
  rows: Int32Array;
}

/**
 * Hides max(1, round(HOLDOUT_RATE · observed)) seeded random observed cells in each of up to HOLDOUT_ROWS
 * seeded random rows, never a column's last MIN_FIT_CELLS observed cells.
 */
export function holdOut(values: Float32Array, f: number, rng: Rng): Holdout {
  const n = values.length / f;
  const observed = new Int32Array(f);
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) observed[i % f]++;
  const order = rng.permutation(n);
  const pick = Array.from(order.subarray(0, Math.min(n, HOLDOUT_ROWS))).sort((a, b) => a - b);
  const out = values.slice();
  const cells: number[] = [];
  const rows: number[] = [];
  const left = Int32Array.from(observed);
  for (const r of pick) {
    const candidates: number[] = [];
    for (let j = 0; j < f; j++) if (Number.isFinite(values[r * f + j]) && left[j]! > MIN_FIT_CELLS) candidates.push(j);
    const take = Math.min(candidates.length, Math.max(1, Math.round(HOLDOUT_RATE * candidates.length)));
    for (let t = 0; t < take; t++) {
      const at = t + rng.int(candidates.length - t);
      const j = candidates[at]!;
      candidates[at] = candidates[t]!;
      out[r * f + j] = NaN;
      left[j]--;
      cells.push(r * f + j);
    }
    if (take) rows.push(r);
  }
  return { values: out, cells: Int32Array.from(cells).sort(), rows: Int32Array.from(rows) };
}
