import { CONTENT_TYPES } from './table';
import { formatFloat32, formatNumber } from './format-number';
import { withoutMembers } from './json-members';
import { type OutputCell, type OutputRow, type TableWriter, type TableWriterOptions } from './table-writer';

/** JSON's number grammar: such cell text is written unquoted, byte for byte. */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * JSON Lines output, one object per row with the columns as keys. A source row read from JSONL keeps its
 * raw line (every key and value as it was) and gets the values' keys appended before the closing brace;
 * a source line that already holds one of those keys (an input row carrying `anomaly_score`) loses its own
 * member of that name, so no output object has a key twice.
 */
export class JsonlWriter implements TableWriter {
  readonly contentType = CONTENT_TYPES.jsonl;
  private readonly keys: string[];
  private readonly passThrough: boolean;
  private readonly num: (n: number) => string;
  private appended: { names: Set<string>; quoted: string[]; count: number } | undefined;

  constructor(private readonly columns: readonly string[], options: TableWriterOptions) {
    this.keys = columns.map((c) => JSON.stringify(c) + ':');
    this.passThrough = options.sourceFormat === 'jsonl';
    this.num = options.float32 ? formatFloat32 : formatNumber;
  }

  header(): undefined {
    return undefined;
  }

  rows(rows: readonly OutputRow[]): string {
    let out = '';
    for (const row of rows) {
      const values = row.values;
      const offset = this.columns.length - values.length;
      let body = '';
      const src = row.source;
      let raw = src !== undefined && this.passThrough ? src.raw?.trimEnd() : undefined;
      if (raw !== undefined && raw.endsWith('}')) {
        raw = this.dropAppended(raw, values.length);
        raw = raw.slice(0, -1).trimEnd();
        body = raw;
        for (let j = 0; j < values.length; j++) body += (body.endsWith('{') ? '' : ',') + this.keys[offset + j] + this.value(values[j]);
        out += body + '}\n';
        continue;
      }
      if (src !== undefined) {
        const cells = src.cells;
        for (let j = 0; j < offset; j++) body += (j ? ',' : '') + this.keys[j] + this.value(cells[j]);
      }
      for (let j = 0; j < values.length; j++) body += (offset + j ? ',' : '') + this.keys[offset + j] + this.value(values[j]);
      out += '{' + body + '}\n';
    }
    return out;
  }

  end(): undefined {
    return undefined;
  }

  /** The raw object without members named like the `count` appended columns (a cheap text test first). */
  private dropAppended(raw: string, count: number): string {
    if (count === 0) return raw;
    if (this.appended?.count !== count) {
      const names = this.columns.slice(this.columns.length - count);
      this.appended = { names: new Set(names), quoted: names.map((n) => JSON.stringify(n)), count };
    }
    if (!raw.includes('\\') && !this.appended.quoted.some((q) => raw.includes(q))) return raw;
    return withoutMembers(raw, this.appended.names);
  }

  private value(v: OutputCell): string {
    if (typeof v === 'number') return Number.isFinite(v) ? this.num(v) : 'null';
    if (v == null) return 'null';
    return JSON_NUMBER.test(v) ? v : JSON.stringify(v);
  }
}
