import { CsvRow, parseNumber, type TableRow } from '../io';
import { MISSING_BITS } from '../io/csv-row';

/** The text of column j of a row, or null when missing; CSV rows decode only that field, not the whole record. */
export function cellOf(row: TableRow, j: number): string | null {
  if (j < 0) return null;
  if (row instanceof CsvRow) return j < row.width ? row.cell(j) : null;
  return row.cells[j] ?? null;
}

/**
 * Column j as a number: NaN when missing, undefined when it is not a number. Unquoted CSV rows use the
 * number the scanner already parsed (float32, enough for plotting) and decode no text at all.
 */
export function numberOf(row: TableRow, j: number): number | undefined {
  if (j < 0) return NaN;
  if (row instanceof CsvRow && row.values !== undefined && j < row.width) {
    const v = row.values[row.vbase + j]!;
    if (v === v) return v;
    if (row.bits![row.vbase + j] === MISSING_BITS) return NaN;
  }
  const text = cellOf(row, j);
  return text === null ? NaN : parseNumber(text);
}
