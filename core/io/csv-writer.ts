import { ByteCopier } from './byte-copy';
import { CONTENT_TYPES } from './table';
import { CsvRow } from './csv-row';
import { CsvSplicedRow } from './csv-spliced-row';
import { formatFloat32, formatNumber } from './format-number';
import { type OutputCell, type OutputRow, type TableWriter, type TableWriterOptions } from './table-writer';

// imported bindings are getters under CommonJS (tsx, jest; not the CLI's bundle): read once here, not per row
const CSV_ROW = CsvRow;
const CSV_SPLICED_ROW = CsvSplicedRow;

/** RFC 4180 quoting: a field holding the delimiter, a quote, CR or LF is quoted with "" escapes. */
export function csvField(text: string, delimiter: string): string {
  if (text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r')) {
    return `"${text.replaceAll('"', '""')}"`;
  }
  return text;
}

/**
 * CSV output, LF line ends. A source row read from CSV is copied as its raw text, then `d` + each value;
 * when every source row of a batch is a CsvRow, the raw bytes are copied without decoding to text and
 * `rows()` returns bytes.
 */
export class CsvWriter implements TableWriter {
  readonly contentType = CONTENT_TYPES.csv;
  private readonly d: string;
  private readonly passThrough: boolean;
  private readonly num: (n: number) => string;

  constructor(private readonly columns: readonly string[], options: TableWriterOptions) {
    this.d = options.delimiter ?? ',';
    this.passThrough = options.sourceFormat === 'csv';
    this.num = options.float32 ? formatFloat32 : formatNumber;
  }

  header(): string {
    return this.columns.map((c) => csvField(c, this.d)).join(this.d) + '\n';
  }

  rows(rows: readonly OutputRow[]): string | Uint8Array {
    if (this.passThrough && rows.length > 0 && rows.every((r) => r.source instanceof CSV_ROW || r.source instanceof CSV_SPLICED_ROW)) {
      return this.copyRows(rows);
    }
    const lines = new Array<string>(rows.length + 1);
    for (let r = 0; r < rows.length; r++) {
      const src = rows[r].source;
      let head: string | undefined;
      if (src === undefined) head = undefined;
      else if (this.passThrough && src.raw !== undefined) head = src.raw;
      else head = src.cells.map((c) => (c === null ? '' : csvField(c, this.d))).join(this.d);
      lines[r] = this.tail(head, rows[r].values);
    }
    lines[rows.length] = '';
    return rows.length ? lines.join('\n') : '';
  }

  end(): undefined {
    return undefined;
  }

  /**
   * Raw bytes of each CsvRow source (a CsvSplicedRow's with its new values spliced in), then its values: one
   * allocation for the batch and a memory copy per row.
   */
  private copyRows(rows: readonly OutputRow[]): Uint8Array {
    const tails = new Array<string>(rows.length);
    let size = 0;
    for (let r = 0; r < rows.length; r++) {
      const src = rows[r].source as CsvRow | CsvSplicedRow;
      const values = rows[r].values;
      tails[r] = values.length ? this.tail('', values) + '\n' : '\n';
      size += (src instanceof CSV_ROW ? src.end - src.start : src.maxBytes) + tails[r].length * 3;
    }
    const out = Buffer.allocUnsafe(size);
    const copier = new ByteCopier(out);
    let at = 0;
    for (let r = 0; r < rows.length; r++) {
      const src = rows[r].source as CsvRow | CsvSplicedRow;
      if (src instanceof CSV_ROW) at = copier.copy(src.bytes, src.start, src.end, at);
      else at = src.writeTo(out, at, copier);
      const tail = tails[r];
      if (tail.length === 1) out[at++] = 10;
      else at += out.write(tail, at);
    }
    return out.subarray(0, at);
  }

  /** `head` (or nothing) followed by each value, delimiter-separated. */
  private tail(head: string | undefined, values: readonly OutputCell[]): string {
    const d = this.d;
    let line = head ?? '';
    for (let j = 0; j < values.length; j++) line += (j === 0 && head === undefined ? '' : d) + this.cell(values[j]);
    return line;
  }

  private cell(value: OutputCell): string {
    if (typeof value === 'number') return this.num(value);
    return value == null ? '' : csvField(value, this.d);
  }
}
