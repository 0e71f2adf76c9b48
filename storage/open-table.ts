import { readParquetTable, readTable, type TableChunk, type TableFormat } from '../core/io';
import type { ObjectLocation, ObjectStore } from './object-store';

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
  /**
   * Releases what the table holds (the object's body stream and its socket, a Parquet file handle).
   * Call it on every path where the chunks were not read to the end, errors included.
   */
  close(): Promise<void>;
}

/**
 * Opens a stored table for streaming: CSV and JSON Lines are read as one byte stream, Parquet by ranged
 * reads (it needs random access), one row group at a time.
 */
export async function openTable(store: ObjectStore, location: ObjectLocation, options: OpenTableOptions): Promise<OpenedTable> {
  if (options.format === 'parquet') {
    const file = await store.open(location);
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await file.close();
    };
    const chunks = (async function* () {
      try {
        yield* readParquetTable(file);
      } finally {
        await close();
      }
    })();
    return { chunks, bytes: file.byteLength, metadata: file.metadata, versionId: file.versionId ?? location.versionId, close };
  }
  const object = await store.get(location);
  const body = options.wrap ? options.wrap(object.body, object.size) : object.body;
  const chunks = readTable(body, { format: options.format, gzip: options.gzip, maxDecompressedBytes: options.maxDecompressedBytes });
  const close = async () => destroyUnread(object.body);
  return { chunks, bytes: object.size, metadata: object.metadata, versionId: object.versionId ?? location.versionId, close };
}

/**
 * Destroys a body stream that was not read to its end: an unread HTTP body keeps its socket (and with a
 * bounded pool, after a few such objects, every later request waits forever).
 */
function destroyUnread(body: AsyncIterable<Uint8Array>): void {
  const stream = body as { destroy?: () => void; readableEnded?: boolean; destroyed?: boolean };
  if (typeof stream.destroy === 'function' && !stream.readableEnded && !stream.destroyed) stream.destroy();
}
