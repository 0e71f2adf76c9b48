import { parseNumber } from './parse-number';

/**
 * How messages name column j: by its header name when that looks like a real name, else by position. A
 * header that is a number is most likely a data row read as the header (a headerless CSV), so printing it
 * would put a data value in a log line or report.
 */
export function columnLabel(columns: readonly string[], j: number): string {
  const name = columns[j];
  if (name === undefined || looksLikeData(name)) return `column ${j + 1}`;
  return `column '${name}'`;
}

/** A name that parses as a number (or is missing-value text, or blank) is data, not a column name. */
export function looksLikeData(name: string): boolean {
  return name.trim() === '' || parseNumber(name) !== undefined;
}
