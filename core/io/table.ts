/** The table formats residual reads and writes (SPEC.md "Input files"). */
export type TableFormat = 'csv' | 'jsonl' | 'parquet';

export type CsvDelimiter = ',' | ';' | '\t';

/**
 * One input row.
 * - `line`: 1-based physical line where the record starts (CSV: the header is line 1; JSONL) or 1-based
 *   row number (parquet).
 * - `cells`: text of each column in header order; `null` = missing (empty field, `NaN`, `nan`, `null`,
 *   JSON null or absent key, parquet null/NaN). Quoted CSV fields are unescaped.
 * - `raw`: CSV: the record's exact text without its line terminator (for byte-identical pass-through);
 *   JSONL: the line's text.
 * CSV rows compute `cells` and `raw` lazily from the bytes they were read from.
 */
export interface TableRow {
  readonly line: number;
  readonly cells: readonly (string | null)[];
  readonly raw?: string;
}

export interface RowRejection {
  line: number;
  reason: string;
}

export interface TableChunk {
  /** Column names in order; the same array in every chunk of one table. */
  columns: string[];
  rows: TableRow[];
  /** Rows in this stretch of input that could not be parsed; they are not in `rows`. */
  rejected: RowRejection[];
  /** CSV only: the delimiter in use (sniffed or given), so an output can keep it. */
  delimiter?: CsvDelimiter;
}

export interface ReadOptions {
  format: TableFormat;
  /** Input is gzip-compressed (streamed through node:zlib). Default false. */
  gzip?: boolean;
  /** Rows per yielded chunk. Default 4096. */
  chunkRows?: number;
  /** Longest record (line) accepted, in bytes. Default 1 MiB. */
  maxLineBytes?: number;
  /** Decompressed bytes allowed from a gzip input. Default 20 GiB. */
  maxDecompressedBytes?: number;
  /** Decompressed/compressed ratio allowed once more than `ratioGraceBytes` were produced. Default 200. */
  maxCompressionRatio?: number;
  /** Decompressed bytes produced before the ratio guard applies. Default 64 MiB. */
  ratioGraceBytes?: number;
  /** Input pieces are gathered into batches of at least this many bytes before parsing. Default 1 MiB. */
  batchBytes?: number;
  /** CSV delimiter. Default: sniffed among `,` `;` tab from the header line. */
  delimiter?: CsvDelimiter;
}

export const DEFAULT_CHUNK_ROWS = 4096;
/** CSV chunks also stop at about this many cells (140 columns → 936 rows), which bounds a chunk's memory. */
export const DEFAULT_CHUNK_CELLS = 1 << 17;
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

/** The Content-Type of each output format (what the writers report and object stores are told). */
export const CONTENT_TYPES: Readonly<Record<TableFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
};
