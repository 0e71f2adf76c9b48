import type { CsvRow } from '../core/io/csv-row';
import { MISSING_BITS } from '../core/io/csv-row';
import { CsvSplicedRow } from '../core/io/csv-spliced-row';
import { isMissingCell } from './replace-feature-cells';

// imported bindings are getters under CommonJS (read per use): the per-cell loop reads module constants
const MISSING = MISSING_BITS;
const IS_MISSING_CELL = isMissingCell;

/**
 * The replaced cells (impute, denoise) of one batch's CSV rows, in arrays the rows share (core/io/csv-spliced-row.ts):
 * one allocation per block of cells, not two typed arrays per row. A full block is not grown in place: the rows made
 * so far keep theirs and the row being filled moves to a new one.
 */
export class SplicedCells {
  private cols: Int32Array;
  private values: Float32Array;
  private used = 0;
  private from = 0;

  constructor(private readonly block: number) {
    this.cols = new Int32Array(block);
    this.values = new Float32Array(block);
  }

  /** Starts the cells of the next row. */
  begin(): void {
    this.from = this.used;
  }

  add(col: number, value: number): void {
    if (this.used === this.cols.length) {
      const n = this.used - this.from;
      const cols = new Int32Array(Math.max(this.block, 2 * n));
      const values = new Float32Array(cols.length);
      cols.set(this.cols.subarray(this.from, this.used));
      values.set(this.values.subarray(this.from, this.used));
      [this.cols, this.values, this.from, this.used] = [cols, values, 0, n];
    }
    this.cols[this.used] = col;
    this.values[this.used++] = value;
  }

  /**
   * Impute: begins the row's cells and adds the model's value for each missing feature cell (`rec[at + j]` for the
   * feature in column `cols[j]`; a non-finite value leaves its cell as it was). Returns how many cells it added. The
   * same cells as isMissingCell per feature, reading the scan's numbers and markers straight from the row.
   */
  fillMissing(source: CsvRow, cols: Int32Array, rec: Float32Array, at: number): number {
    this.begin();
    const values = source.values;
    const bits = source.bits;
    const missing = MISSING;
    const base = source.vbase;
    for (let j = 0; j < cols.length; j++) {
      const col = cols[j]!;
      if (values !== undefined) {
        if (values[base + col]! === values[base + col]!) continue;
        if (bits![base + col] !== missing && !IS_MISSING_CELL(source, col)) continue;
      } else if (!IS_MISSING_CELL(source, col)) continue;
      const value = rec[at + j]!;
      if (Number.isFinite(value)) this.add(col, value);
    }
    return this.used - this.from;
  }

  /** The row with the cells added since begin() (sorted by column unless `ascending`), or null when there are none. */
  row(source: CsvRow, ascending: boolean): CsvSplicedRow | null {
    if (this.used === this.from) return null;
    if (!ascending) sortSegment(this.cols, this.values, this.from, this.used);
    return new CsvSplicedRow(source, this.cols, this.values, this.from, this.used - this.from);
  }
}

/** Sorts cols[from, to) increasing, moving values[] with them (insertion sort: a row's few replaced cells). */
function sortSegment(cols: Int32Array, values: Float32Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const c = cols[i]!;
    const v = values[i]!;
    let k = i - 1;
    for (; k >= from && cols[k]! > c; k--) {
      cols[k + 1] = cols[k]!;
      values[k + 1] = values[k]!;
    }
    cols[k + 1] = c;
    values[k + 1] = v;
  }
}
