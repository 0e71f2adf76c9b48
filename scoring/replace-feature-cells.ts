import type { TableRow } from '../core/io';
// the modules themselves, not core/io's index: its re-exports are getters under CommonJS, read per call on this hot path
import { CsvRow, MISSING_BITS } from '../core/io/csv-row';
import { formatFloat32 } from '../core/io/format-number';
import { skipSpace, skipString } from '../core/io/json-members';

/**
 * A copy of a JSONL or Parquet `row` with some feature cells replaced (impute, denoise) and every other cell kept
 * byte for byte, as detect mode keeps them (CSV rows: core/io/csv-spliced-row.ts, which splices the record's bytes):
 * a JSONL row keeps its raw line with only the replaced members' values rewritten (a missing key is appended).
 * Values come as a map from column index to number; a non-finite value is never written (the caller does not ask
 * for it). Rows from other sources (Parquet) carry no raw text: their cells are replaced.
 */
export function replaceFeatureCells(row: TableRow, columns: readonly string[], values: ReadonlyMap<number, number>): TableRow {
  const raw = row.raw !== undefined ? spliceJsonObject(row.raw, columns, values) : undefined;
  return new ReplacedRow(row, raw, values);
}

/** A row with replaced cells; its cells are only built when read (the output format differs from the input's). */
class ReplacedRow implements TableRow {
  readonly line: number;
  private cellCache: (string | null)[] | undefined;

  constructor(private readonly source: TableRow, readonly raw: string | undefined, private readonly values: ReadonlyMap<number, number>) {
    this.line = source.line;
  }

  get cells(): readonly (string | null)[] {
    if (this.cellCache) return this.cellCache;
    const cells = this.source.cells.slice();
    for (const [col, v] of this.values) cells[col] = formatFloat32(v);
    this.cellCache = cells;
    return cells;
  }
}

// an imported binding is a getter under CommonJS (read per use): this per-cell path reads module constants
const CSV_ROW = CsvRow;
const MISSING = MISSING_BITS;

/**
 * True when cell `col` of a row is missing text ('', 'NaN', 'nan', 'null': `row.cells[col] === null`), without
 * decoding the row's other cells where the CSV scan already knows (a number, or an empty field).
 */
export function isMissingCell(row: TableRow, col: number): boolean {
  if (row instanceof CSV_ROW && row.values !== undefined) {
    const v = row.values[row.vbase + col]!;
    if (v === v) return false;
    if (row.bits![row.vbase + col] === MISSING) return true;
    return row.cell(col) === null;
  }
  return row.cells[col] === null;
}

/**
 * Rewrites the values of the top-level members named by `values` in one JSON object's text; members not
 * present are appended before the closing brace. Returns undefined when the text is not a plain object
 * (the reader only keeps rows that JSON.parse accepted, so this is a safety net, not a validator).
 */
export function spliceJsonObject(text: string, columns: readonly string[], values: ReadonlyMap<number, number>): string | undefined {
  const wanted = new Map<string, number>();
  for (const [col, v] of values) wanted.set(columns[col]!, v);
  const seen = new Set<string>();
  let out = '';
  let copied = 0;
  let i = skipSpace(text, 0);
  if (text[i] !== '{') return undefined;
  i = skipSpace(text, i + 1);
  let close = -1;
  while (i < text.length) {
    if (text[i] === '}') { close = i; break; }
    if (text[i] === ',') { i = skipSpace(text, i + 1); continue; }
    if (text[i] !== '"') return undefined;
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipSpace(text, keyEnd);
    if (text[i] !== ':') return undefined;
    const valueStart = skipSpace(text, i + 1);
    const valueEnd = skipValue(text, valueStart);
    if (valueEnd < 0) return undefined;
    const v = wanted.get(key);
    if (v !== undefined) {
      out += text.slice(copied, valueStart) + formatFloat32(v);
      copied = valueEnd;
      seen.add(key);
    }
    i = skipSpace(text, valueEnd);
  }
  if (close < 0) return undefined;
  const appended = [...wanted].filter(([key]) => !seen.has(key)).map(([key, v]) => `${JSON.stringify(key)}:${formatFloat32(v)}`);
  if (appended.length === 0) return out + text.slice(copied);
  const body = text.slice(copied, close).trimEnd();
  const empty = (out + body).trimEnd().endsWith('{');
  return out + body + (empty ? '' : ',') + appended.join(',') + text.slice(close);
}

/** Index just past the JSON value starting at `i`, or -1. */
function skipValue(text: string, i: number): number {
  if (text[i] === '"') return skipString(text, i);
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '"') { j = skipString(text, j) - 1; continue; }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) return skipSpaceBack(text, j);
      depth--;
      if (depth === 0) return j + 1;
    } else if (depth === 0 && c === ',') return skipSpaceBack(text, j);
  }
  return -1;
}

function skipSpaceBack(text: string, i: number): number {
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  return i;
}
