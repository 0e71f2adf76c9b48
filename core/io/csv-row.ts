import { isMissingText } from './parse-number';
import type { TableRow } from './table';

const QUOTE = 34;

/**
 * Bit patterns (float32 NaNs) that the scan stores in `CsvRow.values` for a cell it did not turn into a
 * number: missing (empty field), or other (exponent, >15 digits, spaces, 'NaN', text...: parse its text).
 * A parsed number is never NaN, so `v === v` tells numbers from these markers.
 */
export const MISSING_BITS = 0x7fc00000;
export const OTHER_BITS = 0x7fc00001;

/**
 * A CSV row that keeps only where its record lies in the bytes it was read from; `cells` and `raw` are
 * decoded on first use. Rows without quotes also carry the numbers the scanner parsed while it looked for
 * delimiters: column j's value is values[vbase + j] (float32), or a marker (see MISSING_BITS) read through
 * `bits`. Quoted rows carry their field offsets instead: field j spans [bounds[j], bounds[j+1] - 1).
 */
export class CsvRow implements TableRow {
  private cellCache: (string | null)[] | undefined;
  private fieldBounds: Int32Array | undefined;

  constructor(
    readonly line: number,
    readonly bytes: Buffer,
    /** Offsets of the record's text (without line terminator) in `bytes`. */
    readonly start: number,
    readonly end: number,
    readonly width: number,
    /** The delimiter's byte. */
    readonly delimiter: number,
    /** Field offsets of a record with quoted fields (whose bytes are not the cells' text); else undefined. */
    quotedBounds: Int32Array | undefined,
    readonly values?: Float32Array,
    readonly bits?: Uint32Array,
    readonly vbase = 0,
    /** the scanner's field offsets of unquoted rows: this row's at starts[vbase / width · (width + 1) + j] */
    private readonly starts?: Int32Array,
  ) {
    this.fieldBounds = quotedBounds;
    this.sbase = vbase + vbase / width;
  }

  /** where this row's field starts are in `starts` */
  private readonly sbase: number;

  /** Where field j starts (j = width: the record's end + 1), without building `bounds()` for a scanned row. */
  fieldStart(j: number): number {
    return this.starts !== undefined ? this.starts[this.sbase + j]! : this.bounds()[j]!;
  }

  get quoted(): boolean {
    return this.values === undefined;
  }

  /** The record's exact text, without its line terminator. */
  get raw(): string {
    return this.bytes.toString('utf8', this.start, this.end);
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
    const b = this.bounds();
    const s = b[j];
    const e = b[j + 1] - 1;
    const text = this.quoted && this.bytes[s] === QUOTE ? unquote(this.bytes, s, e) : this.bytes.toString('utf8', s, e);
    return isMissingText(text) ? null : text;
  }

  /** Field offsets: field j spans [b[j], b[j+1] - 1). Unquoted records use the scanner's offsets (else are split again). */
  bounds(): Int32Array {
    if (this.fieldBounds) return this.fieldBounds;
    if (this.starts) {
      this.fieldBounds = this.starts.subarray(this.sbase, this.sbase + this.width + 1);
      return this.fieldBounds;
    }
    const b = new Int32Array(this.width + 1);
    const bytes = this.bytes;
    const d = this.delimiter;
    let k = 1;
    b[0] = this.start;
    for (let i = this.start; i < this.end; i++) if (bytes[i] === d) b[k++] = i + 1;
    b[this.width] = this.end + 1;
    this.fieldBounds = b;
    return b;
  }
}

/** Text of a quoted field at [s, e): drops the surrounding quotes and turns each "" into ". */
export function unquote(bytes: Buffer, s: number, e: number): string {
  const inner = bytes.toString('utf8', s + 1, e - 1);
  return inner.includes('"') ? inner.replaceAll('""', '"') : inner;
}
