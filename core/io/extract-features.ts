import { CELL_MISSING, CELL_NUMBER, CsvRow } from './csv-row';
import { parseNumber, parseNumberBytes } from './parse-number';
import type { RowRejection, TableChunk, TableRow } from './table';

export interface FeatureBuffers {
  x: Float32Array;
  mask: Float32Array;
}

export interface FeatureBatch extends FeatureBuffers {
  /** The rows whose features all parsed, in order; row r of `x`/`mask` belongs to keep[r]. */
  keep: TableRow[];
  /** Rows with a non-numeric value in a feature column (not in `keep`). */
  rejected: RowRejection[];
}

/**
 * The model inputs of a chunk: x[r*F + j] = value of cell featureColumns[j] of keep[r] (NaN when missing),
 * mask[r*F + j] = 1 when observed, 0 when missing. `x` and `mask` are exactly keep.length*F long (views
 * into `out` when it is given and large enough, so a caller can reuse one pair of buffers per chunk).
 * CSV rows without quotes are parsed straight from their bytes, without building cell strings.
 */
export function extractFeatures(chunk: TableChunk, featureColumns: readonly number[], out?: FeatureBuffers): FeatureBatch {
  const f = featureColumns.length;
  const n = chunk.rows.length;
  const need = n * f;
  const x = out && out.x.length >= need ? out.x : new Float32Array(need);
  const mask = out && out.mask.length >= need ? out.mask : new Float32Array(need);
  const cols = Int32Array.from(featureColumns);
  const keep: TableRow[] = [];
  const rejected: RowRejection[] = [];
  const csvRow = CsvRow;
  let k = 0;
  for (let r = 0; r < n; r++) {
    const row = chunk.rows[r];
    const bad = row instanceof csvRow && row.status !== undefined ? fromScan(row, cols, x, mask, k * f) : fromCells(row, cols, x, mask, k * f);
    if (bad < 0) {
      keep.push(row);
      k++;
    } else {
      rejected.push({ line: row.line, reason: `non-numeric value in column '${chunk.columns[featureColumns[bad]]}' on line ${row.line}` });
    }
  }
  return { x: x.subarray(0, k * f), mask: mask.subarray(0, k * f), keep, rejected };
}

/**
 * Writes one row's features at x[at..] from the numbers the CSV scan already parsed; cells it left
 * undecided are parsed from their bytes. Returns -1, or the index j of the first non-numeric feature.
 */
function fromScan(row: CsvRow, cols: Int32Array, x: Float32Array, mask: Float32Array, at: number): number {
  const values = row.values!;
  const status = row.status!;
  const vbase = row.vbase;
  // Imported bindings are getters under CommonJS transpilers: read them once, not per cell.
  const NUMBER = CELL_NUMBER;
  const MISSING = CELL_MISSING;
  for (let j = 0; j < cols.length; j++) {
    const c = vbase + cols[j];
    const st = status[c];
    if (st === NUMBER) {
      x[at + j] = values[c];
      mask[at + j] = 1;
    } else if (st === MISSING) {
      x[at + j] = NaN;
      mask[at + j] = 0;
    } else {
      const b = row.base + cols[j];
      const v = parseNumberBytes(row.bytes, row.bounds[b], row.bounds[b + 1] - 1);
      if (v === undefined) return j;
      if (v !== v) { x[at + j] = NaN; mask[at + j] = 0; } else { x[at + j] = v; mask[at + j] = 1; }
    }
  }
  return -1;
}

function fromCells(row: TableRow, cols: Int32Array, x: Float32Array, mask: Float32Array, at: number): number {
  const cells = row.cells;
  for (let j = 0; j < cols.length; j++) {
    const text = cells[cols[j]];
    const v = text === null ? NaN : parseNumber(text);
    if (v === undefined) return j;
    if (v !== v) { x[at + j] = NaN; mask[at + j] = 0; } else { x[at + j] = v; mask[at + j] = 1; }
  }
  return -1;
}
