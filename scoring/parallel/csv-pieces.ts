import { CsvScanner } from '../../core/io/csv-scanner';
import { readCsv } from '../../core/io/csv-reader';
import { isValidUtf8 } from '../../core/io/utf8';
import { DEFAULT_CHUNK_ROWS, DEFAULT_MAX_LINE_BYTES, type CsvDelimiter } from '../../core/io/table';

const LF = 10;
const CR = 13;
const QUOTE = 34;

/** The CSV header as the one-thread reader parses it: its exact bytes (BOM and blank lines before it included). */
export interface CsvHead {
  bytes: Uint8Array;
  columns: string[];
  delimiter: CsvDelimiter;
}

/**
 * A run of whole CSV records. `line`: the physical line its first record starts on; `offset`: its first byte's
 * offset in the (decompressed) stream; `complete`: it ends at a record boundary or at the end of the input (false
 * only for a record longer than the line limit, which the worker's scanner then reports as the reader would).
 */
export interface CsvPiece {
  bytes: Uint8Array;
  line: number;
  offset: number;
  complete: boolean;
}

export interface CsvPiecesOptions {
  /** Bytes per piece (pieces end at the last record boundary past this). Default 2 MiB. */
  pieceBytes?: number;
  maxLineBytes?: number;
  delimiter?: CsvDelimiter;
}

/**
 * Cuts a CSV byte stream (already gunzipped) into the header and pieces of whole records, with the same record
 * boundaries as core/io's scanner (RFC 4180: a line feed inside a quoted field is not one), so each piece parses
 * on its own exactly as it would in the whole stream. The first item is the header.
 */
export async function* csvPieces(batches: AsyncIterable<Buffer>, options: CsvPiecesOptions = {}): AsyncGenerator<CsvHead | CsvPiece> {
  const pieceBytes = options.pieceBytes ?? 2 << 20;
  const maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  // input not yet cut: `tail` (an incomplete record) and the batches after it, joined once per piece
  let tail: Buffer = Buffer.alloc(0);
  let held: Buffer[] = [];
  let heldBytes = 0;
  let head: CsvHead | null = null;
  let line = 1;
  let offset = 0;
  let d = 0;
  /** Cuts [0, cut) of `joined`, a buffer of its own (so the piece can be transferred), and keeps a copy of the rest. */
  const take = (joined: Buffer, cut: number, complete: boolean): CsvPiece => {
    // never a slice of Node's shared Buffer pool, which must not be transferred
    const own = joined.byteOffset === 0 && joined.buffer.byteLength === joined.length;
    const bytes = own ? joined.subarray(0, cut) : Uint8Array.prototype.slice.call(joined, 0, cut);
    const piece: CsvPiece = { bytes, line, offset, complete };
    line += countLf(joined, 0, cut);
    offset += cut;
    tail = Buffer.from(joined.subarray(cut));
    return piece;
  };
  const join = (): Buffer => {
    const joined = Buffer.concat([tail, ...held], tail.length + heldBytes);
    held = [];
    heldBytes = 0;
    return joined;
  };
  /** Pieces of about `pieceBytes` off the front of a buffer far larger than one (so every worker gets work); the rest. */
  function* split(joined: Buffer): Generator<CsvPiece, Buffer> {
    for (let cut; joined.length >= 2 * pieceBytes && (cut = lastBoundary(joined.subarray(0, pieceBytes), d)) > 0;) {
      yield take(joined, cut, true);
      joined = tail;
    }
    return joined;
  }
  for await (const batch of batches) {
    if (head === null) {
      tail = tail.length ? Buffer.concat([tail, batch]) : batch;
      const found = await parseHead(tail, false, maxLine, options.delimiter);
      if (found === null) continue;
      head = found.head;
      d = head.delimiter.charCodeAt(0);
      line = found.line;
      offset = found.used;
      tail = Buffer.from(tail.subarray(found.used));
      yield head;
      continue;
    }
    held.push(batch);
    heldBytes += batch.length;
    if (tail.length + heldBytes < pieceBytes) continue;
    const joined = yield* split(join());
    const cut = lastBoundary(joined, d);
    if (cut > 0) yield take(joined, cut, true);
    else if (joined.length > maxLine) yield take(joined, joined.length, false);
    else tail = joined;
  }
  if (head === null) {
    const found = await parseHead(tail, true, maxLine, options.delimiter);
    head = found!.head;
    d = head.delimiter.charCodeAt(0);
    line = found!.line;
    offset = found!.used;
    tail = Buffer.from(tail.subarray(found!.used));
    yield head;
  }
  const rest = yield* split(join());
  if (rest.length > 0) yield take(rest, rest.length, true);
}

/**
 * The header, parsed by core/io's own scanner on the bytes up to each line feed in turn; null while it is not
 * complete. Errors (empty object, bad header, line too long, not UTF-8) are the reader's own.
 */
async function parseHead(
  buf: Buffer, final: boolean, maxLine: number, delimiter: CsvDelimiter | undefined,
): Promise<{ head: CsvHead; line: number; used: number } | null> {
  let end = 0;
  for (;;) {
    const nl = buf.indexOf(LF, end);
    const last = nl < 0;
    end = last ? buf.length : nl + 1;
    const scanner = new CsvScanner(DEFAULT_CHUNK_ROWS, maxLine, delimiter);
    const used = scanner.scan(buf.subarray(0, end), 0, final && last);
    if (scanner.columns !== undefined) {
      if (!isValidUtf8(buf, 0, used)) {
        // the reader's own error for the header's bytes
        for await (const chunk of readCsv(once(buf.subarray(0, used)), { delimiter, maxLineBytes: maxLine })) void chunk;
      }
      const head = { bytes: Uint8Array.prototype.slice.call(buf, 0, used), columns: scanner.columns, delimiter: scanner.delimiter! };
      return { head, line: scanner.line, used };
    }
    if (last) return null;
  }
}

/** Offset just past the last complete record of `buf` (which starts at a record boundary), or 0. */
export function lastBoundary(buf: Buffer, d: number): number {
  const lastLf = buf.lastIndexOf(LF);
  if (lastLf < 0) return 0;
  // without a quote every line feed ends a record
  if (buf.indexOf(QUOTE) < 0 || buf.indexOf(QUOTE) > lastLf) return lastLf + 1;
  let pos = 0;
  let cut = 0;
  for (;;) {
    const next = recordEnd(buf, pos, d);
    if (next < 0) return cut;
    cut = pos = next;
    if (pos >= buf.length) return cut;
    // from here on no quote: the last line feed is the boundary
    const q = buf.indexOf(QUOTE, pos);
    if (q < 0 || q > lastLf) return lastLf + 1;
  }
}

/**
 * Where the record starting at `start` ends (past its line feed), or -1 when it is not complete in `buf`.
 * Mirrors CsvScanner.parseQuoted: a quote opens a quoted field only at the field's start; `""` inside is a quote;
 * text after a closing quote makes the record end at the next line feed.
 */
function recordEnd(buf: Buffer, start: number, d: number): number {
  const limit = buf.length;
  let i = start;
  for (;;) {
    if (i < limit && buf[i] === QUOTE) {
      i++;
      for (;;) {
        const q = buf.indexOf(QUOTE, i);
        if (q < 0 || q + 1 >= limit) return -1;
        if (buf[q + 1] === QUOTE) { i = q + 2; continue; }
        i = q + 1;
        break;
      }
      const c = buf[i];
      if (c === d) { i++; continue; }
      if (c === LF) return i + 1;
      if (c === CR) {
        if (i + 1 >= limit) return -1;
        if (buf[i + 1] === LF) return i + 2;
      }
      const nl = buf.indexOf(LF, i);
      return nl < 0 ? -1 : nl + 1;
    }
    while (i < limit && buf[i] !== d && buf[i] !== LF) i++;
    if (i >= limit) return -1;
    if (buf[i] === d) { i++; continue; }
    return i + 1;
  }
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

export function countLf(buf: Uint8Array, s: number, e: number): number {
  let n = 0;
  const b = buf as Buffer;
  for (let i = b.indexOf(LF, s); i >= 0 && i < e; i = b.indexOf(LF, i + 1)) n++;
  return n;
}
