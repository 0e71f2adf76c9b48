import { InternalError } from '../errors';
import { AsciiBuffer } from './ascii-buffer';
import { csvField } from './csv-writer';

/**
 * CSV and JSON Lines of a numeric matrix (row-major, `values.length` = rows × columns), straight into bytes: the
 * sample path (`residual sample`) writes only numbers, and going through OutputRow objects, strings and their
 * UTF-8 encoding cost more than the numbers' text itself. Each number is written as formatFloat32 would write it
 * (the shortest text that reads back as the same float32: the generators compute in float32, and the values they
 * are snapped to, training data read as float32, are float32 values), so integers are written as integers
 * (up to 2^24, beyond which float32 has no fractions). NaN is missing: an empty CSV field, JSON null;
 * ±Infinity is 'Infinity' in CSV (as CsvWriter) and null in JSON (as JsonlWriter).
 * Header and keys are the column names, CSV-quoted / JSON-escaped.
 */
export function numericCsv(columns: readonly string[], values: ArrayLike<number>): Uint8Array {
  const f = columns.length;
  const out = new AsciiBuffer(estimate(values.length, f, 0));
  out.text(columns.map((c) => csvField(c, ',')).join(',') + '\n');
  const n = rowsOf(values, f);
  for (let r = 0; r < n; r++) {
    const at = r * f;
    for (let j = 0; j < f; j++) {
      if (j) out.byte(44);
      out.float32(values[at + j]!);
    }
    out.byte(10);
  }
  return out.view();
}

export function numericJsonl(columns: readonly string[], values: ArrayLike<number>): Uint8Array {
  const f = columns.length;
  // JSON.stringify escapes only quotes, backslashes and control characters: other non-ASCII names go as UTF-8 bytes
  const keyText = columns.map((c, j) => (j ? ',' : '{') + JSON.stringify(c) + ':');
  const ascii = keyText.every((k) => /^[\x20-\x7e]*$/.test(k));
  const keys = keyText.map((k) => new TextEncoder().encode(k));
  const keyBytes = keys.reduce((s, k) => s + k.length, 0);
  const out = new AsciiBuffer(estimate(values.length, f, keyBytes));
  const n = rowsOf(values, f);
  for (let r = 0; r < n; r++) {
    const at = r * f;
    for (let j = 0; j < f; j++) {
      if (ascii) out.ascii(keyText[j]!);
      else out.bytes(keys[j]!);
      const v = values[at + j]!;
      if (Number.isFinite(v)) out.float32(v);
      else out.ascii('null');
    }
    out.byte(125);
    out.byte(10);
  }
  return out.view();
}

function rowsOf(values: ArrayLike<number>, f: number): number {
  if (f === 0 || values.length % f !== 0) throw new InternalError(`${values.length} values are not rows of ${f} columns`);
  return values.length / f;
}

/** A first capacity: about 10 bytes a number and the keys of every row (the buffer grows past it if need be). */
function estimate(count: number, f: number, keyBytes: number): number {
  return 64 + count * 10 + (f ? (count / f) * (keyBytes + 2) : 0);
}
