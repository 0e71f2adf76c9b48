import { parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { CorruptParquetError, EmptyObjectError } from './errors';
import { DEFAULT_CHUNK_ROWS, type TableChunk, type TableRow } from './table';

export interface ParquetReadOptions {
  /** Rows per yielded chunk (a row group is split into chunks of at most this many rows). Default 4096. */
  chunkRows?: number;
}

/** Random access to the parquet bytes (a file, an S3 object through range GETs, a buffer). */
export interface ParquetSource {
  byteLength: number;
  slice(start: number, end?: number): Promise<ArrayBuffer> | ArrayBuffer;
}

/**
 * Reads a parquet file row group by row group with hyparquet; memory holds one row group at a time.
 * Cells are text like the other formats: numbers in shortest round-trip form, INT64 as decimal digits,
 * booleans 'true'/'false', timestamps as ISO-8601, nested values as JSON; null and NaN are missing.
 */
export async function* readParquetTable(file: ParquetSource, options: ParquetReadOptions = {}): AsyncGenerator<TableChunk> {
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  if (file.byteLength === 0) throw new EmptyObjectError();
  const buffer: AsyncBuffer = file;
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (cause) {
    throw new CorruptParquetError(`not a readable parquet file: ${(cause as Error).message}`, { cause });
  }
  const columns = parquetSchema(metadata).children.map((c) => c.element.name);
  let rowStart = 0;
  let emitted = false;
  for (const group of metadata.row_groups) {
    const groupRows = Number(group.num_rows);
    const rowEnd = rowStart + groupRows;
    let values: unknown[][] = [];
    try {
      await parquetRead({ file: buffer, metadata, rowStart, rowEnd, rowFormat: 'array', onComplete: (rows) => { values = rows; } });
    } catch (cause) {
      throw new CorruptParquetError(`row group at row ${rowStart + 1} cannot be read: ${(cause as Error).message}`, { cause });
    }
    for (let at = 0; at < values.length; at += chunkRows) {
      const rows: TableRow[] = [];
      const end = Math.min(values.length, at + chunkRows);
      for (let r = at; r < end; r++) {
        const v = values[r];
        const cells = new Array<string | null>(columns.length);
        for (let j = 0; j < columns.length; j++) cells[j] = cellText(v[j]);
        rows.push({ line: rowStart + r + 1, cells });
      }
      emitted = true;
      yield { columns, rows, rejected: [] };
    }
    rowStart = rowEnd;
  }
  if (!emitted) yield { columns, rows: [], rejected: [] };
}

function cellText(value: unknown): string | null {
  switch (typeof value) {
    case 'string': return value === '' ? null : value;
    case 'number': return Number.isNaN(value) ? null : String(value);
    case 'bigint': return value.toString();
    case 'boolean': return value ? 'true' : 'false';
    case 'undefined': return null;
    default:
      if (value === null) return null;
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
      return JSON.stringify(value, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  }
}
