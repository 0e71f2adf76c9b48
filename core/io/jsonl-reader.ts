import { byteBatches } from './byte-source';
import { EmptyObjectError, LineTooLongError, NotUtf8Error } from './errors';
import { DEFAULT_CHUNK_ROWS, DEFAULT_MAX_LINE_BYTES, type ReadOptions, type RowRejection, type TableChunk, type TableRow } from './table';
import { firstInvalidUtf8, isValidUtf8 } from './utf8';

const LF = 10;
const CR = 13;

/**
 * Streams a JSON Lines object as chunks of rows. The columns are the keys of the objects of the first chunk
 * (up to `chunkRows` objects), in order of first appearance; an object's absent key is a missing cell, and
 * keys first seen after the first chunk are not columns (they stay in `raw`). Blank lines are skipped; a
 * line that is not JSON, or not a JSON object, is rejected.
 */
export async function* readJsonl(source: AsyncIterable<Uint8Array>, options: Omit<ReadOptions, 'format'>): AsyncGenerator<TableChunk> {
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  const maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let columns: string[] | undefined;
  // the first chunk's objects, held until the chunk is full so that its keys make the columns
  let first: { line: number; record: Record<string, unknown>; text: string }[] = [];
  let rows: TableRow[] = [];
  let rejected: RowRejection[] = [];
  let sawContent = false;
  let emitted = false;
  let line = 1;
  let offset = 0;
  let pending: Buffer | undefined;
  const ready: TableChunk[] = [];

  const take = (text: string): void => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      rejected.push({ line, reason: 'line is not valid JSON' });
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      rejected.push({
        line,
        reason: `expected a JSON object, found ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`,
      });
      return;
    }
    const record = value as Record<string, unknown>;
    if (columns === undefined) {
      first.push({ line, record, text });
      if (first.length >= chunkRows) fixColumns();
      return;
    }
    addRow(line, record, text);
  };

  const addRow = (at: number, record: Record<string, unknown>, text: string): void => {
    const cols = columns!;
    const cells = new Array<string | null>(cols.length);
    for (let j = 0; j < cols.length; j++) cells[j] = cellText(record[cols[j]]);
    rows.push({ line: at, cells, raw: text });
    if (rows.length >= chunkRows) {
      ready.push({ columns: cols, rows, rejected });
      emitted = true;
      rows = [];
      rejected = [];
    }
  };

  const fixColumns = (): void => {
    const names = new Set<string>();
    for (const f of first) for (const k of Object.keys(f.record)) names.add(k);
    columns = [...names];
    const held = first;
    first = [];
    for (const f of held) addRow(f.line, f.record, f.text);
  };

  const step = (buf: Buffer, final: boolean): void => {
    const checkEnd = final ? buf.length : buf.lastIndexOf(LF) + 1;
    if (checkEnd > 0 && !isValidUtf8(buf, 0, checkEnd)) {
      const bad = firstInvalidUtf8(buf, 0, checkEnd);
      let n = 0;
      for (let i = buf.indexOf(LF); i >= 0 && i < bad; i = buf.indexOf(LF, i + 1)) n++;
      throw new NotUtf8Error(line + n, offset + bad);
    }
    let pos = offset === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
    while (pos < buf.length) {
      let nl = buf.indexOf(LF, pos);
      if (nl < 0) {
        if (!final) break;
        nl = buf.length;
      }
      let end = nl;
      if (end > pos && buf[end - 1] === CR) end--;
      if (end - pos > maxLine) throw new LineTooLongError(line, maxLine);
      const text = buf.toString('utf8', pos, end);
      if (text.trim() !== '') {
        sawContent = true;
        take(text);
      }
      line++;
      pos = nl + 1;
    }
    if (pos < buf.length && buf.length - pos > maxLine) throw new LineTooLongError(line, maxLine);
    offset += Math.min(pos, buf.length);
    pending = pos < buf.length ? Buffer.from(buf.subarray(pos)) : undefined;
  };

  for await (const batch of byteBatches(source, options)) {
    step(pending ? Buffer.concat([pending, batch]) : batch, false);
    while (ready.length) yield ready.shift()!;
  }
  step(pending ?? Buffer.alloc(0), true);
  if (!sawContent) throw new EmptyObjectError();
  if (columns === undefined && first.length) fixColumns();
  if (rows.length || rejected.length || !emitted) ready.push({ columns: columns ?? [], rows, rejected });
  while (ready.length) yield ready.shift()!;
}

/** A JSON value as cell text: strings as they are, numbers and booleans as JSON writes them, null/absent as missing. */
function cellText(value: unknown): string | null {
  switch (typeof value) {
    case 'string': return value === '' || value === 'NaN' || value === 'nan' || value === 'null' ? null : value;
    // JSON.parse reads 1e999 as Infinity: keep it a number too large for any float, so it is rejected as out of range
    case 'number': return Number.isFinite(value) ? String(value) : value > 0 ? '1e999' : '-1e999';
    case 'boolean': return value ? 'true' : 'false';
    case 'undefined': return null;
    default: return value === null ? null : JSON.stringify(value);
  }
}
