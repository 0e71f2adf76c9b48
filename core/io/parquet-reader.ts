import {
  parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type ColumnMetaData, type FileMetaData, type SchemaElement,
} from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { ResidualError } from '../errors';
import { DecompressionBombError, CorruptParquetError, EmptyObjectError, HeaderError } from './errors';
import { DEFAULT_CHUNK_ROWS, type TableChunk, type TableRow } from './table';
import { overLimits, parquetBombCheck } from './parquet-bomb-guard';
import { checkPages } from './parquet-pages';
import { timestampParsers } from './raw-timestamp';

export interface ParquetReadOptions {
  /** Rows per yielded chunk (a row group is split into chunks of at most this many rows). Default 4096. */
  chunkRows?: number;
  /** Rows decoded at a time from a row group (hyparquet rowStart/rowEnd). Default 65536. */
  sliceRows?: number;
  /** Decoded bytes allowed (estimated from the footer before any page is read). Default 20 GiB. */
  maxDecompressedBytes?: number;
  /** Decoded/file-size ratio allowed once more than `ratioGraceBytes` would be decoded. Default 200. */
  maxCompressionRatio?: number;
  /** Decoded bytes before the ratio guard applies. Default 64 MiB. */
  ratioGraceBytes?: number;
}

/** Random access to the parquet bytes (a file, an S3 object through range GETs, a buffer). */
export interface ParquetSource {
  byteLength: number;
  slice(start: number, end?: number): Promise<ArrayBuffer> | ArrayBuffer;
}

/** A parquet row: the text cells every format has, plus the decoded values and the columns' schema elements. */
export interface ParquetTableRow extends TableRow {
  /** hyparquet's decoded value of each column (timestamps as RawTimestamp, which keeps the stored integer). */
  readonly values: readonly unknown[];
  /** The leaf schema element of each top-level column (undefined for a nested column); one array per file. */
  readonly schema: readonly (SchemaElement | undefined)[];
}

export function isParquetRow(row: TableRow | undefined): row is ParquetTableRow {
  return row !== undefined && (row as Partial<ParquetTableRow>).schema !== undefined;
}

/**
 * Reads a parquet file row group by row group with hyparquet, every codec (hyparquet-compressors), in
 * slices of `sliceRows` rows, so memory holds the compressed row group and one decoded slice. Before any
 * page is decoded, the footer's sizes are checked against the decompression-bomb limits.
 * Cells are text like the other formats: numbers in shortest round-trip form (±Infinity as ±1e999, which
 * is out of every float range), INT64 as decimal digits, booleans 'true'/'false', timestamps as ISO-8601,
 * nested values as JSON; null and NaN are missing.
 */
export async function* readParquetTable(file: ParquetSource, options: ParquetReadOptions = {}): AsyncGenerator<TableChunk> {
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  const sliceRows = Math.max(chunkRows, options.sliceRows ?? 65536);
  if (file.byteLength === 0) throw new EmptyObjectError();
  let metadata: FileMetaData;
  let tree: ReturnType<typeof parquetSchema>['children'];
  try {
    metadata = await parquetMetadataAsync(file, { parsers: timestampParsers });
    tree = parquetSchema(metadata).children; // a footer that decodes can still hold an inconsistent schema
  } catch (cause) {
    if (cause instanceof ResidualError) throw cause;
    throw new CorruptParquetError(`not a readable parquet file: ${(cause as Error).message}`, { cause });
  }
  const bomb = parquetBombCheck(metadata, file.byteLength, options);
  if (bomb) throw new DecompressionBombError(bomb.decoded, file.byteLength, bomb.limit);
  const columns = tree.map((c) => c.element.name);
  checkNames(columns);
  const schema = tree.map((c) => (c.children.length === 0 ? c.element : undefined));
  let rowStart = 0;
  let emitted = false;
  const decoded = { bytes: 0 };
  for (const group of metadata.row_groups) {
    const groupEnd = rowStart + Number(group.num_rows);
    const buffer = await groupBuffer(file, group.columns.map((c) => c.meta_data).filter((m) => m !== undefined), decoded);
    const over = overLimits(decoded.bytes, file.byteLength, options);
    if (over) throw new DecompressionBombError(decoded.bytes, file.byteLength, over);
    for (let sliceStart = rowStart; sliceStart < groupEnd; sliceStart += sliceRows) {
      const sliceEnd = Math.min(groupEnd, sliceStart + sliceRows);
      let values: unknown[][] = [];
      try {
        await parquetRead({
          file: buffer, metadata, rowStart: sliceStart, rowEnd: sliceEnd, rowFormat: 'array', compressors,
          parsers: timestampParsers, onComplete: (rows) => { values = rows; },
        });
      } catch (cause) {
        throw new CorruptParquetError(`rows ${sliceStart + 1} to ${sliceEnd} cannot be read: ${(cause as Error).message}`, { cause });
      }
      if (values.length !== sliceEnd - sliceStart) {
        throw new CorruptParquetError(`rows ${sliceStart + 1} to ${sliceEnd}: the file holds ${values.length} of them`);
      }
      for (let at = 0; at < values.length; at += chunkRows) {
        const rows: ParquetTableRow[] = [];
        const end = Math.min(values.length, at + chunkRows);
        for (let r = at; r < end; r++) {
          const v = values[r];
          const cells = new Array<string | null>(columns.length);
          for (let j = 0; j < columns.length; j++) cells[j] = cellText(v[j]);
          rows.push({ line: sliceStart + r + 1, cells, values: v, schema });
        }
        emitted = true;
        yield { columns, rows, rejected: [] };
      }
    }
    rowStart = groupEnd;
  }
  if (!emitted) yield { columns, rows: [], rejected: [] };
}

/** Parquet allows repeated names; a table cannot tell them apart (the second would print the first's values). */
function checkNames(columns: string[]): void {
  const first = new Map<string, number>();
  columns.forEach((name, j) => {
    const k = first.get(name);
    if (k !== undefined) throw new HeaderError(`parquet columns ${k + 1} and ${j + 1} have the same name`);
    first.set(name, j);
  });
}

/**
 * The row group's bytes fetched once (one range read), so each slice does not fetch its column chunks again;
 * reads outside the group go to the file. Its page headers are checked first (see checkPages), and the bytes
 * they decode to are added to `decoded` for the bomb guard.
 */
async function groupBuffer(file: ParquetSource, chunks: ColumnMetaData[], decoded: { bytes: number }): Promise<AsyncBuffer> {
  let start = Infinity;
  let end = 0;
  for (const c of chunks) {
    const first = Math.min(Number(c.dictionary_page_offset ?? c.data_page_offset), Number(c.data_page_offset));
    start = Math.min(start, first);
    end = Math.max(end, first + Number(c.total_compressed_size));
  }
  if (chunks.length === 0) return file;
  if (!(start >= 0 && start <= end && end <= file.byteLength)) throw new CorruptParquetError('a column chunk lies outside the file');
  const bytes = await file.slice(start, end);
  decoded.bytes += checkPages(bytes, start, chunks);
  return {
    byteLength: file.byteLength,
    slice: (s: number, e?: number) => {
      const stop = e ?? file.byteLength;
      return s >= start && stop <= end ? bytes.slice(s - start, stop - start) : file.slice(s, e);
    },
  };
}

function cellText(value: unknown): string | null {
  switch (typeof value) {
    case 'string': return value === '' ? null : value;
    case 'number': return value !== value ? null : Number.isFinite(value) ? String(value) : value > 0 ? '1e999' : '-1e999';
    case 'bigint': return value.toString();
    case 'boolean': return value ? 'true' : 'false';
    case 'undefined': return null;
    default:
      if (value === null) return null;
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
      return JSON.stringify(value, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  }
}
