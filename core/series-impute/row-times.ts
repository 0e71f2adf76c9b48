import { CsvRow, isParquetRow, type TableRow } from '../io';
import { parseTimestamp } from '../time/parse-timestamp';

/**
 * Epoch ms of each row's time-column cell (NaN where it is not a timestamp; rows a TimeOrder kept always parse),
 * read the way TimeOrder reads it (a CSV row parses just this cell).
 */
export function rowTimes(rows: readonly TableRow[], column: number): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const cell = (row instanceof CsvRow ? row.cell(column) : row.cells[column]) ?? null;
    out[i] = cell === null ? NaN : parseTimestamp(cell, isParquetRow(row) ? row.values[column] : undefined);
  }
  return out;
}
