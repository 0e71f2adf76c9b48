import type { CsvRow } from '../core/io/csv-row';
import { CsvSplicedRow } from '../core/io/csv-spliced-row';

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
