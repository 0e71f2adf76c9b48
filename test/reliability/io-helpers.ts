import { parquetWriteBuffer } from 'hyparquet-writer';
type WriteOptions = Parameters<typeof parquetWriteBuffer>[0];
export type ColumnSource = WriteOptions['columnData'][number];
type Compressors = NonNullable<WriteOptions['compressors']>;

import { readParquetTable, readTable, type ParquetReadOptions, type ReadOptions, type RowRejection } from '../../core/io';

/** A parquet file as core/io's random-access source. */
export function bufferSource(bytes: ArrayBuffer | Uint8Array): { byteLength: number; slice(s: number, e?: number): ArrayBuffer } {
  // a copy: Buffer.prototype.slice is a view into Node's shared pool, whose .buffer is not these bytes
  const u8 = Uint8Array.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  return { byteLength: u8.byteLength, slice: (s, e) => u8.slice(s, e ?? u8.byteLength).buffer };
}

interface WriteParquetOptions { codec?: string; compressors?: Compressors; rowGroupSize?: number; pageSize?: number }

export function writeParquet(columnData: ColumnSource[], options: WriteParquetOptions = {}): Uint8Array {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return new Uint8Array(parquetWriteBuffer({ columnData, ...(options as any) }));
}

export interface Read {
  columns: string[];
  rows: { line: number; cells: (string | null)[]; raw?: string }[];
  rejected: RowRejection[];
}

type Chunks = AsyncIterable<{
  columns: string[];
  rows: { line: number; cells: readonly (string | null)[]; raw?: string }[];
  rejected: RowRejection[];
}>;

async function gather(chunks: Chunks): Promise<Read> {
  const out: Read = { columns: [], rows: [], rejected: [] };
  for await (const c of chunks) {
    out.columns = c.columns;
    for (const r of c.rows) out.rows.push({ line: r.line, cells: [...r.cells], raw: r.raw });
    out.rejected.push(...c.rejected);
  }
  return out;
}

export function readParquetBytes(bytes: Uint8Array, options?: ParquetReadOptions): Promise<Read> {
  return gather(readParquetTable(bufferSource(bytes), options));
}

export function readText(text: string | Uint8Array, options: ReadOptions): Promise<Read> {
  return gather(readTable((async function* () { yield typeof text === 'string' ? Buffer.from(text) : text; })(), options));
}
