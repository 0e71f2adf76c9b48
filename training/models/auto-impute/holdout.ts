import type { Rng } from '../../../core/rng';

/** Rows the held-out cells are drawn from (at most). */
export const HOLDOUT_ROWS = 4000;
/** Share of those rows' observed cells that is hidden. */
export const HOLDOUT_RATE = 0.2;
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
 * Hides HOLDOUT_RATE of the observed cells of up to HOLDOUT_ROWS seeded random rows (MCAR), never a
 * column's last MIN_FIT_CELLS observed cells.
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
    let any = false;
    for (let j = 0; j < f; j++) {
      const c = r * f + j;
      if (!Number.isFinite(values[c]) || rng.next() >= HOLDOUT_RATE || left[j]! <= MIN_FIT_CELLS) continue;
      out[c] = NaN;
      left[j]--;
      cells.push(c);
      any = true;
    }
    if (any) rows.push(r);
  }
  return { values: out, cells: Int32Array.from(cells), rows: Int32Array.from(rows) };
}
