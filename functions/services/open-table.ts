import { readParquetTable, readTable, type TableChunk, type TableFormat } from '../../core/io';
import type { ObjectLocation, ObjectStore } from './ports';

export interface OpenTableOptions {
  format: TableFormat;
  gzip?: boolean;
  /** bytes a gzip input may expand to (bomb guard) */
  maxDecompressedBytes?: number;
  /** wraps the byte stream (e.g. a progress display); CSV and JSON Lines only */
  wrap?: (body: AsyncIterable<Uint8Array>, size: number | undefined) => AsyncIterable<Uint8Array>;
}

export interface OpenedTable {
  chunks: AsyncIterable<TableChunk>;
  bytes?: number;
  metadata: Record<string, string>;
  versionId?: string;
}

/**
 * Opens a stored table for streaming: CSV and JSON Lines are read as one byte stream, Parquet by ranged
 * reads (it needs random access), one row group at a time.
 */
export async function openTable(store: ObjectStore, location: ObjectLocation, options: OpenTableOptions): Promise<OpenedTable> {
  if (options.format === 'parquet') {
    const file = await store.open(location);
    const chunks = (async function* () {
      try {
        yield* readParquetTable(file);
      } finally {
        await file.close();
      }
    })();
    return { chunks, bytes: file.byteLength, metadata: file.metadata, versionId: file.versionId ?? location.versionId };
  }
  const object = await store.get(location);
  const body = options.wrap ? options.wrap(object.body, object.size) : object.body;
  const chunks = readTable(body, { format: options.format, gzip: options.gzip, maxDecompressedBytes: options.maxDecompressedBytes });
  return { chunks, bytes: object.size, metadata: object.metadata, versionId: object.versionId ?? location.versionId };
}
