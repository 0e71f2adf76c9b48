import { isMissingText } from './parse-number';
import type { TableRow } from './table';

const QUOTE = 34;

/** Per-cell status of the numbers a CSV scan parses on the way (`CsvRow.status`). */
export const CELL_NUMBER = 0;
export const CELL_MISSING = 1;
/** Not a plain decimal (exponent, >15 digits, spaces, 'NaN', text...): parse the cell's text to decide. */
export const CELL_OTHER = 2;

/**
 * A CSV row that keeps only where its record and fields lie in the bytes it was read from; `cells` and
 * `raw` are decoded on first use. Field j spans [bounds[base+j], bounds[base+j+1] - 1), including its quotes
 * when quoted; bounds[base+width] - 1 is the end of the record's text.
 * Unquoted rows also carry the numbers the scanner parsed while finding the delimiters: for column j,
 * status[vbase+j] is CELL_NUMBER (value in values[vbase+j], as float32), CELL_MISSING or CELL_OTHER.
 */
export class CsvRow implements TableRow {
  private cellCache: (string | null)[] | undefined;

  constructor(
    readonly line: number,
    readonly bytes: Buffer,
    readonly bounds: Int32Array,
    readonly base: number,
    readonly width: number,
    /** True when a field of this record is quoted: its bytes are not the cell's text (no values then). */
    readonly quoted: boolean,
    readonly values?: Float32Array,
    readonly status?: Uint8Array,
    readonly vbase = 0,
  ) {}

  /** The record's exact text, without its line terminator. */
  get raw(): string {
    return this.bytes.toString('utf8', this.bounds[this.base], this.bounds[this.base + this.width] - 1);
  }

  get cells(): (string | null)[] {
    if (this.cellCache) return this.cellCache;
    const out = new Array<string | null>(this.width);
    for (let j = 0; j < this.width; j++) out[j] = this.cell(j);
    this.cellCache = out;
    return out;
  }

  /** The text of column j (unescaped), or null when missing. */
  cell(j: number): string | null {
    const s = this.bounds[this.base + j];
    const e = this.bounds[this.base + j + 1] - 1;
    const text = this.quoted && this.bytes[s] === QUOTE ? unquote(this.bytes, s, e) : this.bytes.toString('utf8', s, e);
    return isMissingText(text) ? null : text;
  }
}

/** Text of a quoted field at [s, e): drops the surrounding quotes and turns each "" into ". */
export function unquote(bytes: Buffer, s: number, e: number): string {
  const inner = bytes.toString('utf8', s + 1, e - 1);
  return inner.includes('"') ? inner.replaceAll('""', '"') : inner;
}
