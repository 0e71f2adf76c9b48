import { InputError } from '../errors';
import type { TableFormat } from './table';

const SUFFIXES: readonly [string, TableFormat, boolean][] = [
  ['.csv.gz', 'csv', true],
  ['.jsonl.gz', 'jsonl', true],
  ['.csv', 'csv', false],
  ['.jsonl', 'jsonl', false],
  ['.parquet', 'parquet', false],
];

/** The table format of an object key or file name, from its extension (case-insensitive). */
export function formatFromKey(key: string): { format: TableFormat; gzip: boolean } {
  const lower = key.toLowerCase();
  for (const [suffix, format, gzip] of SUFFIXES) {
    if (lower.endsWith(suffix) && lower.length > suffix.length) return { format, gzip };
  }
  throw new InputError(`key '${key}' has no supported extension (.csv, .csv.gz, .jsonl, .jsonl.gz, .parquet)`);
}
