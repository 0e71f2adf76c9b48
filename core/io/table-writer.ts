import type { SchemaElement } from 'hyparquet';
import { InputError } from '../errors';
import { CsvWriter } from './csv-writer';
import { JsonlWriter } from './jsonl-writer';
import { ParquetTableWriter, type ParquetColumnType } from './parquet-writer';
import type { CsvDelimiter, TableFormat, TableRow } from './table';

/** An output value: text is written as it is, a number in shortest round-trip form; NaN, null, undefined are missing. */
export type OutputCell = string | number | null | undefined;

/**
 * One output row. With `source`, the output starts with the input row's columns unchanged and `values`
 * fill the columns after them; without it, `values` hold every column.
 */
export interface OutputRow {
  source?: TableRow;
  values: readonly OutputCell[];
}

export interface TableWriterOptions {
  /** CSV output delimiter; pass the input's (`TableChunk.delimiter`) so raw pass-through stays valid. Default ','. */
  delimiter?: CsvDelimiter;
  /** Format the source rows were read from: CSV→CSV and JSONL→JSONL copy `source.raw` byte for byte. */
  sourceFormat?: TableFormat;
  /** Numbers are float32 values: write the shortest text that reads back as the same float32. Default false. */
  float32?: boolean;
  /** Parquet: rows per row group (the writer buffers one row group). Default 16384. */
  rowGroupSize?: number;
  /**
   * Parquet: types of the columns the writer makes; an undefined entry (or none) is inferred from the first
   * row group (DOUBLE when every value is numeric). Columns copied from a parquet input keep its types.
   */
  parquetTypes?: readonly (ParquetColumnType | undefined)[];
  /** Parquet: the schema of a parquet input whose columns come first (else taken from the first source row). */
  parquetSourceSchema?: readonly (SchemaElement | undefined)[];
}

/** Streaming encoder: concatenating header(), every rows() result and end() gives the output object. */
export interface TableWriter {
  readonly contentType: string;
  header(): string | Uint8Array | undefined;
  rows(rows: readonly OutputRow[]): string | Uint8Array;
  end(): string | Uint8Array | undefined;
}

export function createTableWriter(format: TableFormat, columns: readonly string[], options: TableWriterOptions = {}): TableWriter {
  switch (format) {
    case 'csv':
      return new CsvWriter(columns, options);
    case 'jsonl':
      return new JsonlWriter(columns, options);
    case 'parquet':
      return new ParquetTableWriter(columns, options);
    default:
      throw new InputError(`format '${String(format)}' is not one of csv, jsonl, parquet`);
  }
}
