import { CsvRow, MISSING_BITS, OTHER_BITS, unquote } from './csv-row';
import { sniffDelimiter, validateHeader } from './csv-header';
import { EmptyObjectError, HeaderError, LineTooLongError } from './errors';
import { DEFAULT_CHUNK_CELLS, type CsvDelimiter, type RowRejection, type TableChunk } from './table';

const LF = 10;
const CR = 13;
const QUOTE = 34;
const NEED_MORE = -1;
const POW10 = Float64Array.from({ length: 16 }, (_, i) => Number(`1e${i}`));
// imported bindings are getters under CommonJS (tsx, jest; not the CLI's bundle): read once here, not per line
const MISSING = MISSING_BITS;
const OTHER = OTHER_BITS;

/** Outcome of parsing one quoted record, written into the scanner's fields by `parseQuoted`. */
interface QuotedRecord {
  /** Offset after the record's terminator, or NEED_MORE. */
  next: number;
  /** Offset just after the record's text (before CR/LF). */
  contentEnd: number;
  fields: number;
  newlines: number;
  error: string | undefined;
}

/**
 * RFC 4180 record scanner over UTF-8 bytes. Feed it buffers that start at a record boundary; it returns
 * how far it consumed (the rest is an incomplete record to prepend to the next buffer) and collects
 * finished chunks in `ready`. Lines without a quote take a fast path that only records delimiter offsets.
 */
export class CsvScanner {
  /** Physical line number where the next record starts. */
  line = 1;
  columns: string[] | undefined;
  delimiter: CsvDelimiter | undefined;
  readonly ready: TableChunk[] = [];
  private width = 0;
  private d = 0;
  private atStart = true;
  private emitted = false;
  private rows: CsvRow[] = [];
  private rejected: RowRejection[] = [];
  private values = new Float32Array(0);
  private bits = new Uint32Array(0);
  /** field starts of the chunk's unquoted rows: row i's field j at starts[i·(w+1) + j], then its end + 1 */
  private starts = new Int32Array(0);
  private scratch = new Int32Array(0);
  private readonly rec: QuotedRecord = { next: 0, contentEnd: 0, fields: 0, newlines: 0, error: undefined };

  /** rows per chunk once the width is known: at most `chunkRows`, and about DEFAULT_CHUNK_CELLS cells */
  private rowsPerChunk: number;

  constructor(private readonly chunkRows: number, private readonly maxLineBytes: number, delimiter?: CsvDelimiter) {
    this.rowsPerChunk = chunkRows;
    this.delimiter = delimiter;
  }

  /**
   * Scans `buf` from `start`, which must be a record boundary; `final` means no more bytes follow.
   * Returns the offset of the first unconsumed byte (the start of an incomplete record).
   */
  scan(buf: Buffer, start: number, final: boolean): number {
    let pos = start;
    if (this.atStart) {
      if (buf.length - start < 3 && !final) return start;
      if (buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) pos += 3;
      this.atStart = false;
    }
    if (this.columns === undefined) {
      pos = this.scanHeader(buf, pos, final);
      if (this.columns === undefined) return pos;
    }
    pos = this.scanRows(buf, pos, final);
    if (final) this.flush(true);
    return pos;
  }

  private scanHeader(buf: Buffer, start: number, final: boolean): number {
    let pos = start;
    const limit = buf.length;
    // Skip blank (whitespace-only) lines before the header.
    for (;;) {
      let i = pos;
      while (i < limit && (buf[i] === 32 || buf[i] === 9 || buf[i] === CR)) i++;
      if (i < limit && buf[i] === LF) { pos = i + 1; this.line++; continue; }
      if (i >= limit) {
        if (final) throw new EmptyObjectError();
        return pos;
      }
      break;
    }
    if (this.delimiter === undefined) {
      let nl = buf.indexOf(LF, pos);
      if (nl < 0) {
        if (!final) { this.checkLength(limit - pos); return pos; }
        nl = limit;
      }
      this.delimiter = sniffDelimiter(buf, pos, nl);
    }
    this.d = this.delimiter.charCodeAt(0);
    const scratch = new Int32Array(4096);
    const fields = this.parseQuoted(buf, pos, final, scratch, 0, scratch.length - 1);
    const r = this.rec;
    if (fields === NEED_MORE) { this.checkLength(limit - pos); return pos; }
    this.checkLength(r.contentEnd - pos);
    if (r.error !== undefined) throw new HeaderError(`header (line ${this.line}): ${r.error}`);
    if (r.fields >= scratch.length) throw new HeaderError(`header has more than ${scratch.length - 1} columns`);
    scratch[r.fields] = r.contentEnd + 1;
    const names: string[] = [];
    for (let j = 0; j < r.fields; j++) {
      const s = scratch[j];
      const e = scratch[j + 1] - 1;
      names.push(buf[s] === QUOTE ? unquote(buf, s, e) : buf.toString('utf8', s, e));
    }
    validateHeader(names);
    this.columns = names;
    this.width = names.length;
    // wide tables get shorter chunks, so the memory a chunk holds (text, values, model buffers) stays bounded
    this.rowsPerChunk = Math.min(this.chunkRows, Math.max(64, Math.floor(DEFAULT_CHUNK_CELLS / this.width)));
    this.line += 1 + r.newlines;
    this.scratch = new Int32Array(this.width + 1);
    this.newValues();
    return r.next;
  }

  private scanRows(buf: Buffer, start: number, final: boolean): number {
    const limit = buf.length;
    const w = this.width;
    const maxLine = this.maxLineBytes;
    let pos = start;
    let nextQuote = -2; // -2: not looked up yet; -1: none in this buffer
    while (pos < limit) {
      let nl = buf.indexOf(LF, pos);
      if (nl < 0) {
        if (!final) break;
        nl = limit;
      }
      if (nextQuote !== -1 && nextQuote < pos) nextQuote = buf.indexOf(QUOTE, pos);
      if (nextQuote >= 0 && nextQuote < nl) {
        const scratch = this.scratch;
        const fields = this.parseQuoted(buf, pos, final, scratch, 0, w);
        if (fields === NEED_MORE) break;
        const r = this.rec;
        if (r.contentEnd - pos > maxLine) throw new LineTooLongError(this.line, maxLine);
        if (r.error !== undefined) this.reject(r.error);
        else if (r.fields !== w) this.reject(`expected ${w} fields, found ${r.fields}`);
        else {
          scratch[w] = r.contentEnd + 1;
          this.push(new CsvRow(this.line, buf, pos, r.contentEnd, w, this.d, scratch.slice()));
        }
        this.line += 1 + r.newlines;
        pos = r.next;
        continue;
      }
      let end = nl;
      if (end > pos && buf[end - 1] === CR) end--;
      if (end - pos > maxLine) throw new LineTooLongError(this.line, maxLine);
      if (end === pos && w > 1) { this.line++; pos = nl + 1; continue; }
      const vbase = this.rows.length * w;
      const count = this.splitLine(buf, pos, end, vbase);
      if (count === w) this.push(new CsvRow(this.line, buf, pos, end, w, this.d, undefined, this.values, this.bits, vbase, this.starts));
      else this.reject(`expected ${w} fields, found ${count}`);
      this.line++;
      pos = nl + 1;
    }
    if (pos < limit) this.checkLength(limit - pos);
    return Math.min(pos, limit);
  }

  /**
   * The fast path for a line without quotes: one pass that counts fields and parses plain decimals
   * ([+-]digits[.digits], at most 15 digits: exact, as Number() would) into values[vbase + j]; other
   * cells get a marker (MISSING_BITS, OTHER_BITS); each field's start offset goes into `starts`. Returns the number of fields.
   */
  private splitLine(buf: Buffer, pos: number, end: number, vbase: number): number {
    const d = this.d;
    const w = this.width;
    const values = this.values;
    const bits = this.bits;
    const starts = this.starts;
    const sbase = vbase + vbase / w;
    const missing = MISSING;
    const other = OTHER;
    const pow10 = POW10;
    let i = pos;
    let count = 0;
    for (;;) {
      const fs = i;
      if (count < w) starts[sbase + count] = fs;
      let c = buf[i];
      let sign = 1;
      if (c === 45) { sign = -1; c = buf[++i]; } else if (c === 43) c = buf[++i];
      let mant = 0;
      let nd = 0;
      let frac = 0;
      while (c >= 48 && c <= 57) { mant = mant * 10 + (c - 48); nd++; c = buf[++i]; }
      if (c === 46) {
        c = buf[++i];
        while (c >= 48 && c <= 57) { mant = mant * 10 + (c - 48); nd++; frac++; c = buf[++i]; }
      }
      if (i >= end || c === d) {
        if (count < w) {
          if (nd !== 0 && nd <= 15) values[vbase + count] = sign * (mant / pow10[frac]);
          else bits[vbase + count] = i === fs ? missing : other;
        }
      } else {
        while (i < end && buf[i] !== d) i++;
        if (count < w) bits[vbase + count] = other;
      }
      count++;
      if (i >= end) {
        if (count === w) starts[sbase + w] = end + 1;
        return count;
      }
      i++;
    }
  }

  /**
   * Parses one record that may hold quoted fields, writing field starts into out[base + j] for j < slots.
   * Returns NEED_MORE when the record is not complete in `buf`, else the number of fields (also in `rec`).
   */
  private parseQuoted(buf: Buffer, start: number, final: boolean, out: Int32Array, base: number, slots: number): number {
    const limit = buf.length;
    const d = this.d;
    const r = this.rec;
    r.error = undefined;
    r.newlines = 0;
    let i = start;
    let fields = 0;
    for (;;) {
      if (fields < slots) out[base + fields] = i;
      fields++;
      if (i < limit && buf[i] === QUOTE) {
        const openLine = this.line + r.newlines;
        i++;
        for (;;) {
          const q = buf.indexOf(QUOTE, i);
          if (q < 0) {
            if (!final) return NEED_MORE;
            r.newlines += countLf(buf, i, limit);
            r.error = `unterminated quoted field starting on line ${openLine}`;
            return this.finish(limit, limit, fields);
          }
          r.newlines += countLf(buf, i, q);
          if (q + 1 >= limit && !final) return NEED_MORE;
          if (q + 1 < limit && buf[q + 1] === QUOTE) { i = q + 2; continue; }
          i = q + 1;
          break;
        }
        if (i >= limit) return final ? this.finish(limit, limit, fields) : NEED_MORE;
        const c = buf[i];
        if (c === d) { i++; continue; }
        if (c === LF) return this.finish(i, i + 1, fields);
        if (c === CR) {
          if (i + 1 >= limit) return final ? this.finish(i, limit, fields) : NEED_MORE;
          if (buf[i + 1] === LF) return this.finish(i, i + 2, fields);
        }
        // Text after a closing quote: reject the record, which ends at the next line feed.
        let nl = buf.indexOf(LF, i);
        if (nl < 0) {
          if (!final) return NEED_MORE;
          nl = limit;
        }
        r.error = `unexpected text after the closing quote of field ${fields}`;
        return this.finish(nl, Math.min(nl + 1, limit), fields);
      }
      while (i < limit && buf[i] !== d && buf[i] !== LF) i++;
      if (i < limit && buf[i] === d) { i++; continue; }
      if (i >= limit && !final) return NEED_MORE;
      const next = i < limit ? i + 1 : limit;
      const contentEnd = i > start && buf[i - 1] === CR ? i - 1 : i;
      return this.finish(contentEnd, next, fields);
    }
  }

  private finish(contentEnd: number, next: number, fields: number): number {
    this.rec.contentEnd = contentEnd;
    this.rec.next = next;
    this.rec.fields = fields;
    return fields;
  }

  private push(row: CsvRow): void {
    this.rows.push(row);
    if (this.rows.length >= this.rowsPerChunk) this.flush(false);
  }

  private reject(reason: string): void {
    this.rejected.push({ line: this.line, reason });
  }

  private flush(final: boolean): void {
    if (this.rows.length === 0 && this.rejected.length === 0 && (this.emitted || !final)) return;
    this.ready.push({ columns: this.columns!, rows: this.rows, rejected: this.rejected, delimiter: this.delimiter });
    this.emitted = true;
    this.rows = [];
    this.rejected = [];
    if (!final) this.newValues();
  }

  private newValues(): void {
    this.values = new Float32Array(this.rowsPerChunk * this.width);
    this.bits = new Uint32Array(this.values.buffer);
    this.starts = new Int32Array(this.rowsPerChunk * (this.width + 1));
  }

  private checkLength(bytes: number): void {
    if (bytes > this.maxLineBytes) throw new LineTooLongError(this.line, this.maxLineBytes);
  }
}

function countLf(buf: Buffer, s: number, e: number): number {
  let n = 0;
  for (let i = buf.indexOf(LF, s); i >= 0 && i < e; i = buf.indexOf(LF, i + 1)) n++;
  return n;
}
