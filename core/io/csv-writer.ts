import { formatFloat32, formatNumber } from './format-number';
import type { OutputCell, OutputRow, TableWriter, TableWriterOptions } from './table-writer';

/** RFC 4180 quoting: a field holding the delimiter, a quote, CR or LF is quoted with "" escapes. */
export function csvField(text: string, delimiter: string): string {
  if (text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r')) {
    return `"${text.replaceAll('"', '""')}"`;
  }
  return text;
}

/** CSV output, LF line ends. A source row read from CSV is copied as its raw text, then `d` + each value. */
export class CsvWriter implements TableWriter {
  readonly contentType = 'text/csv; charset=utf-8';
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

  rows(rows: readonly OutputRow[]): string {
    const d = this.d;
    let out = '';
    for (const row of rows) {
      let line: string;
      let first = true;
      const src = row.source;
      if (src === undefined) {
        line = '';
      } else if (this.passThrough && src.raw !== undefined) {
        line = src.raw;
        first = false;
      } else {
        line = '';
        for (const c of src.cells) {
          line += (first ? '' : d) + (c === null ? '' : csvField(c, d));
          first = false;
        }
      }
      const values = row.values;
      for (let j = 0; j < values.length; j++) {
        line += (first ? '' : d) + this.cell(values[j]);
        first = false;
      }
      out += line + '\n';
    }
    return out;
  }

  end(): undefined {
    return undefined;
  }

  private cell(value: OutputCell): string {
    if (typeof value === 'number') return this.num(value);
    return value == null ? '' : csvField(value, this.d);
  }
}
