import { HeaderError } from './errors';
import type { CsvDelimiter } from './table';

const QUOTE = 34;

/** The most frequent of `,` `;` tab outside quotes in the header line; `,` when none occurs. */
export function sniffDelimiter(buf: Uint8Array, start: number, end: number): CsvDelimiter {
  let comma = 0;
  let semi = 0;
  let tab = 0;
  let inQuotes = false;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === QUOTE) inQuotes = !inQuotes;
    else if (inQuotes) continue;
    else if (c === 44) comma++;
    else if (c === 59) semi++;
    else if (c === 9) tab++;
  }
  if (semi > comma && semi >= tab) return ';';
  if (tab > comma && tab > semi) return '\t';
  return ',';
}

/**
 * Throws HeaderError for an empty or duplicate column name. Columns are named by position: a header line
 * that repeats a value is often a data row (a headerless file), and no data value may reach a message.
 */
export function validateHeader(names: string[]): void {
  const seen = new Map<string, number>();
  names.forEach((name, j) => {
    if (name.trim() === '') throw new HeaderError(`header column ${j + 1} has an empty name`);
    const k = seen.get(name);
    if (k !== undefined) throw new HeaderError(`header columns ${k + 1} and ${j + 1} have the same name`);
    seen.set(name, j);
  });
}
