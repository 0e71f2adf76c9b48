import { InputError } from '../errors';
import { readCsv } from './csv-reader';
import { readJsonl } from './jsonl-reader';
import { readParquetTable } from './parquet-reader';
import type { ReadOptions, TableChunk } from './table';

/**
 * Streams a table object as chunks of rows. CSV and JSON Lines are parsed as the bytes arrive; memory
 * does not grow with the object. Parquet needs random access to its footer, so from a byte stream it is
 * first gathered in memory; give `readParquetTable` a ranged source (a file, S3 range GETs) to avoid that.
 */
export async function* readTable(source: AsyncIterable<Uint8Array>, options: ReadOptions): AsyncGenerator<TableChunk> {
  switch (options.format) {
    case 'csv':
      yield* readCsv(source, options);
      return;
    case 'jsonl':
      yield* readJsonl(source, options);
      return;
    case 'parquet': {
      if (options.gzip) throw new InputError(`option gzip=true is not supported for format 'parquet'`);
      const parts: Buffer[] = [];
      for await (const piece of source) parts.push(Buffer.from(piece));
      const all = Buffer.concat(parts);
      const file = {
        byteLength: all.length,
        slice: (s: number, e?: number) => all.buffer.slice(all.byteOffset + s, all.byteOffset + (e ?? all.length)) as ArrayBuffer,
      };
      yield* readParquetTable(file, { chunkRows: options.chunkRows });
      return;
    }
    default:
      throw new InputError(`option format='${String(options.format)}' is not one of csv, jsonl, parquet`);
  }
}
