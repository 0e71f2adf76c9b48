import { columnLabel } from './column-label';
import { CsvRow, MISSING_BITS } from './csv-row';
import { parseDecimalComma, parseDecimalCommaBytes } from './decimal-comma';
import { parseNumber, parseNumberBytes } from './parse-number';
import type { RowRejection, TableChunk, TableRow } from './table';
import { InternalError } from '../errors';

// imported bindings are getters under CommonJS (tsx, jest; not the CLI's bundle): read once here, not per row
const MISSING = MISSING_BITS;

export interface FeatureBuffers {
  x: Float32Array;
  mask: Float32Array;
}

export interface FeatureBatch extends FeatureBuffers {
  /** The rows whose features all parsed, in order; row r of `x`/`mask` belongs to keep[r]. */
  keep: TableRow[];
  /** Rows with a non-numeric or out-of-range value in a feature column (not in `keep`). */
  rejected: RowRejection[];
  /** false when no feature cell read was missing (so `mask` is all 1); true when one may have been */
  anyMissing: boolean;
}

/**
 * The model inputs of a chunk: x[r*F + j] = value of cell featureColumns[j] of keep[r] (NaN when missing),
 * mask[r*F + j] = 1 when observed, 0 when missing. `x` and `mask` are exactly keep.length*F long (views
 * into `out` when it is given and large enough, so a caller can reuse one pair of buffers per chunk).
 * CSV rows without quotes are parsed straight from their bytes, without building cell strings.
 */
export function extractFeatures(
  chunk: TableChunk, featureColumns: readonly number[], out?: FeatureBuffers, bounds?: FeatureBounds,
): FeatureBatch {
  const f = featureColumns.length;
  const n = chunk.rows.length;
  for (const c of featureColumns) {
    if (!Number.isInteger(c) || c < 0 || c >= chunk.columns.length) {
      throw new InternalError(`featureColumns holds ${c}, which is not a column index of this ${chunk.columns.length}-column table`);
    }
  }
  const need = n * f;
  const x = out && out.x.length >= need ? out.x : new Float32Array(need);
  const mask = out && out.mask.length >= need ? out.mask : new Float32Array(need);
  const cols = Int32Array.from(featureColumns);
  const keep: TableRow[] = [];
  const rejected: RowRejection[] = [];
  const csvRow = CsvRow;
  // Features that are a run of adjacent columns (the usual case) are copied per row in one native call.
  let first = f > 0 ? cols[0] : 0;
  for (let j = 1; j < f && first >= 0; j++) if (cols[j] !== cols[0] + j) first = -1;
  // a `;` CSV may write decimal commas (1,5): such a cell is read as 1.5 (a comma cannot be a delimiter there)
  const comma = chunk.delimiter === ';';
  // set to 1 by the readers below at a missing feature cell: a chunk without one needs no per-cell count of them
  const seen = new Uint8Array(1);
  let k = 0;
  for (let r = 0; r < n; r++) {
    const row = chunk.rows[r];
    const bad = !(row instanceof csvRow && row.values !== undefined)
      ? fromCells(row, cols, x, mask, k * f, comma, seen)
      : first >= 0 ? fromScanRun(row, cols, first, x, mask, k * f, comma, seen) : fromScan(row, cols, x, mask, k * f, comma, seen);
    const far = bad < 0 && bounds !== undefined ? outsideBounds(x, k * f, f, bounds) : -1;
    if (bad < 0 && far < 0) {
      keep.push(row);
      k++;
    } else if (far >= 0) {
      const column = columnLabel(chunk.columns, featureColumns[far]);
      rejected.push({
        line: row.line,
        reason:
          'VALUE_OUT_OF_RANGE: value too far from the training range of the model to score in float32 ' +
          `in ${column} on line ${row.line}`,
      });
    } else if (bad >= OUT_OF_RANGE) {
      const column = columnLabel(chunk.columns, featureColumns[bad - OUT_OF_RANGE]);
      rejected.push({ line: row.line, reason: `VALUE_OUT_OF_RANGE: value outside the float32 range in ${column} on line ${row.line}` });
    } else {
      const column = columnLabel(chunk.columns, featureColumns[bad]);
      rejected.push({ line: row.line, reason: `non-numeric value in ${column} on line ${row.line}` });
    }
  }
  return { x: x.subarray(0, k * f), mask: mask.subarray(0, k * f), keep, rejected, anyMissing: seen[0] === 1 };
}

/**
 * Raw-unit limits per feature beyond which a value cannot be scored in float32 (its scaled value, squared
 * and summed, would overflow to Infinity and the model's outputs to NaN): see `featureBoundsFor`.
 */
export interface FeatureBounds {
  lo: Float64Array;
  hi: Float64Array;
}

/** How many training-scale units (|x - offset| / scale) a value may be from the training offset: 10^12. */
export const MAX_SCALED_MAGNITUDE = 1e12;

/** The bounds of a model whose scaler maps x to (x - offset) / scale. */
export function featureBoundsFor(offset: readonly number[], scale: readonly number[]): FeatureBounds {
  const lo = new Float64Array(offset.length);
  const hi = new Float64Array(offset.length);
  for (let j = 0; j < offset.length; j++) {
    const reach = MAX_SCALED_MAGNITUDE * Math.abs(scale[j]!);
    lo[j] = offset[j]! - reach;
    hi[j] = offset[j]! + reach;
  }
  return { lo, hi };
}

/**
 * The first observed feature of the row at `at` outside `bounds`, or -1. A missing cell's x is NaN (mask 0), which
 * compares false with both bounds: the mask need not be read.
 */
function outsideBounds(x: Float32Array, at: number, f: number, bounds: FeatureBounds): number {
  const { lo, hi } = bounds;
  for (let j = 0; j < f; j++) {
    const v = x[at + j]!;
    if (v < lo[j]! || v > hi[j]!) return j;
  }
  return -1;
}

/**
 * A feature index j at or above this marks "feature j - OUT_OF_RANGE is a number outside the float32 range"
 * (it would become ±Infinity in the model input); below it, "feature j is not a number".
 */
const OUT_OF_RANGE = 1 << 24;

/** True for a finite double that is not ±Infinity as a float32 (|v| <= FLT_MAX after rounding). */
function fitsFloat32(v: number): boolean {
  const f = Math.fround(v);
  return f - f === 0;
}

/**
 * Writes one row's features at x[at..] from the numbers the CSV scan already parsed; cells it left
 * undecided are parsed from their bytes. Returns -1, or the index j of the first non-numeric feature (OUT_OF_RANGE + j: out of range).
 */
function fromScan(
  row: CsvRow, cols: Int32Array, x: Float32Array, mask: Float32Array, at: number, comma: boolean, seen: Uint8Array,
): number {
  const values = row.values!;
  const bits = row.bits!;
  const vbase = row.vbase;
  const missing = MISSING;
  for (let j = 0; j < cols.length; j++) {
    const c = vbase + cols[j];
    const v = values[c];
    if (v === v) {
      x[at + j] = v;
      mask[at + j] = 1;
    } else if (bits[c] === missing) {
      x[at + j] = NaN;
      mask[at + j] = 0;
      seen[0] = 1;
    } else {
      const b = row.bounds();
      const s = b[cols[j]];
      const e = b[cols[j] + 1] - 1;
      const parsed = parseNumberBytes(row.bytes, s, e) ?? (comma ? parseDecimalCommaBytes(row.bytes, s, e) : undefined);
      if (parsed === undefined) return j;
      if (parsed !== parsed) { x[at + j] = NaN; mask[at + j] = 0; seen[0] = 1; } else if (!fitsFloat32(parsed)) return OUT_OF_RANGE + j;
      else { x[at + j] = parsed; mask[at + j] = 1; }
    }
  }
  return -1;
}

/** fromScan for features that are the adjacent columns first..first+F-1. */
function fromScanRun(
  row: CsvRow, cols: Int32Array, first: number, x: Float32Array, mask: Float32Array, at: number, comma: boolean, seen: Uint8Array,
): number {
  const f = cols.length;
  const s = row.vbase + first;
  x.set(row.values!.subarray(s, s + f), at);
  const missing = MISSING;
  for (let j = 0; j < f; j++) {
    const v = x[at + j];
    if (v === v) mask[at + j] = 1;
    else if (row.bits![s + j] === missing) { mask[at + j] = 0; seen[0] = 1; }
    else return fromScan(row, cols, x, mask, at, comma, seen); // a cell the scan left undecided: take the general path
  }
  return -1;
}

function fromCells(
  row: TableRow, cols: Int32Array, x: Float32Array, mask: Float32Array, at: number, comma: boolean, seen: Uint8Array,
): number {
  const cells = row.cells;
  for (let j = 0; j < cols.length; j++) {
    const text = cells[cols[j]];
    const v = text === null ? NaN : parseNumber(text) ?? (comma ? parseDecimalComma(text) : undefined);
    if (v === undefined) return j;
    if (v !== v) { x[at + j] = NaN; mask[at + j] = 0; seen[0] = 1; } else if (!fitsFloat32(v)) return OUT_OF_RANGE + j;
    else { x[at + j] = v; mask[at + j] = 1; }
  }
  return -1;
}
