import type { TableChunk, TableRow } from '../core/io';
import { InputError } from '../core/errors';

/** One cell of an in-memory table: a number, numeric text, or missing (null, undefined, NaN). */
export type CellValue = number | string | null | undefined;

/** Rows as objects keyed by column name; the columns are every key, in the order first seen. */
export type RecordRows = readonly Readonly<Record<string, CellValue>>[];

/** Column names and, per row, its cells in that order. */
export interface ColumnRows {
  columns: readonly string[];
  rows: readonly (readonly CellValue[])[];
}

/** An in-memory table: what `train`, `Model.score` take besides a path or s3:// URI. */
export type TableInput = RecordRows | ColumnRows;

/** Rows per chunk handed to the scoring path (the readers' default). */
const CHUNK_ROWS = 4096;

/**
 * The in-memory table as the chunks the file readers produce: each cell becomes the text a CSV would hold
 * (a number in shortest round-trip form, which parses back to the same number), so the same parsing and row
 * rejection apply. Row r (0-based) gets `line` r + 1.
 */
export function tableChunks(input: TableInput): TableChunk[] {
  const { columns, rows } = toColumnRows(input);
  if (columns.length === 0) throw new InputError('the table has no columns');
  if (new Set(columns).size !== columns.length) throw new InputError('the table has duplicate column names');
  const chunks: TableChunk[] = [];
  for (let start = 0; start < rows.length || start === 0; start += CHUNK_ROWS) {
    const part: TableRow[] = [];
    for (let r = start; r < Math.min(rows.length, start + CHUNK_ROWS); r++) {
      const row = rows[r]!;
      if (row.length !== columns.length) {
        throw new InputError(`row ${r} has ${row.length} cells, the table has ${columns.length} columns`);
      }
      part.push({ line: r + 1, cells: row.map((v, j) => cellText(v, r, columns[j]!)) });
    }
    chunks.push({ columns: [...columns], rows: part, rejected: [] });
  }
  return chunks;
}

function toColumnRows(input: TableInput): ColumnRows {
  if (!Array.isArray(input)) {
    const t = input as ColumnRows;
    if (!Array.isArray(t.columns) || !Array.isArray(t.rows)) throw new InputError('a table is an array of records or { columns, rows }');
    return t;
  }
  const records = input as RecordRows;
  const seen = new Set<string>();
  for (const rec of records) {
    if (rec === null || typeof rec !== 'object') throw new InputError('a table is an array of records or { columns, rows }');
    for (const k of Object.keys(rec)) seen.add(k);
  }
  const columns = [...seen];
  return { columns, rows: records.map((rec) => columns.map((c) => rec[c])) };
}

function cellText(v: CellValue, row: number, column: string): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isNaN(v) ? null : String(v);
  if (typeof v === 'string') return v;
  throw new InputError(`row ${row}, column '${column}': a cell must be a number, a string or null, got a ${typeof v}`);
}
