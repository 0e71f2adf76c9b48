import { parseNumber } from './parse-number';
import type { CsvDelimiter } from './table';

const COMMA = 44;

/**
 * A decimal-comma number (`1,5`, `-0,25`: digits, one comma, digits), read in a `;`-delimited CSV, where a
 * comma cannot be a field separator. Returns undefined for any other text. A thousands separator looks the
 * same ("1,000" reads as 1): the README says so.
 */
export function parseDecimalCommaBytes(buf: Uint8Array, start: number, end: number): number | undefined {
  let i = start;
  if (i < end && (buf[i] === 45 || buf[i] === 43)) i++;
  const intStart = i;
  while (i < end && buf[i] >= 48 && buf[i] <= 57) i++;
  if (i === intStart || i >= end || buf[i] !== COMMA) return undefined;
  const comma = i++;
  const fracStart = i;
  while (i < end && buf[i] >= 48 && buf[i] <= 57) i++;
  if (i !== end || i === fracStart) return undefined;
  let text = '';
  for (let k = start; k < end; k++) text += k === comma ? '.' : String.fromCharCode(buf[k]);
  return parseNumber(text);
}

const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;

/** parseDecimalCommaBytes for text. */
export function parseDecimalComma(text: string): number | undefined {
  return DECIMAL_COMMA.test(text) ? parseNumber(text.replace(',', '.')) : undefined;
}

/**
 * A cell as a number the way the readers read features: parseNumber, and in a `;` CSV also a decimal-comma
 * number. NaN for missing text, undefined when it is not a number.
 */
export function parseCellNumber(text: string, delimiter?: CsvDelimiter): number | undefined {
  const v = parseNumber(text);
  return v === undefined && delimiter === ';' ? parseDecimalComma(text) : v;
}
