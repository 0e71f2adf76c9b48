import { byteBatches } from './byte-source';
import { CsvScanner } from './csv-scanner';
import { NotUtf8Error } from './errors';
import { DEFAULT_CHUNK_ROWS, DEFAULT_MAX_LINE_BYTES, type ReadOptions, type TableChunk } from './table';
import { firstInvalidUtf8, isValidUtf8 } from './utf8';

const LF = 10;

/**
 * Streams a CSV object as chunks of rows. Holds at most one input batch (~1 MiB) plus one incomplete
 * record and the chunk being filled; rows keep a reference to the bytes they were read from.
 */
export async function* readCsv(source: AsyncIterable<Uint8Array>, options: Omit<ReadOptions, 'format'>): AsyncGenerator<TableChunk> {
  const scanner = new CsvScanner(
    options.chunkRows ?? DEFAULT_CHUNK_ROWS,
    options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    options.delimiter,
  );
  let pending: Buffer | undefined; // an incomplete record carried to the next batch
  let pendingValid = 0; // its leading bytes already checked as UTF-8
  let offset = 0; // stream offset of the first byte of `pending`

  /** Validates [validFrom, last line end) of buf, scans from `start`, keeps the rest as `pending`. */
  const step = (buf: Buffer, start: number, validFrom: number, final: boolean): void => {
    // Whole lines only: a line feed byte never sits inside a multi-byte sequence.
    const checkEnd = final ? buf.length : buf.lastIndexOf(LF) + 1;
    if (checkEnd > validFrom && !isValidUtf8(buf, validFrom, checkEnd)) {
      const bad = firstInvalidUtf8(buf, validFrom, checkEnd);
      throw new NotUtf8Error(scanner.line + countLf(buf, start, bad), offset + bad - start);
    }
    const used = scanner.scan(buf, start, final);
    offset += used - start;
    pendingValid = Math.max(0, Math.max(checkEnd, validFrom) - used);
    pending = used < buf.length ? Buffer.from(buf.subarray(used)) : undefined;
  };

  for await (const batch of byteBatches(source, options)) {
    if (pending === undefined) {
      step(batch, 0, 0, false);
    } else {
      // Complete the carried record with the batch's first line, so the batch itself is never copied.
      const lf = batch.indexOf(LF);
      if (lf < 0) {
        step(Buffer.concat([pending, batch]), 0, pendingValid, false);
      } else {
        const head = Buffer.concat([pending, batch.subarray(0, lf + 1)]);
        step(head, 0, pendingValid, false);
        if (pending === undefined) step(batch, lf + 1, lf + 1, false);
        else step(Buffer.concat([pending, batch.subarray(lf + 1)]), 0, pending.length, false);
      }
    }
    while (scanner.ready.length) yield scanner.ready.shift()!;
  }
  step(pending ?? Buffer.alloc(0), 0, pendingValid, true);
  while (scanner.ready.length) yield scanner.ready.shift()!;
}

function countLf(buf: Buffer, s: number, e: number): number {
  let n = 0;
  for (let i = buf.indexOf(LF, s); i >= 0 && i < e; i = buf.indexOf(LF, i + 1)) n++;
  return n;
}
