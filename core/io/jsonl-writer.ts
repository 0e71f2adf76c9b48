import { CONTENT_TYPES } from './table';
import { formatFloat32, formatNumber } from './format-number';
import { type OutputCell, type OutputRow, type TableWriter, type TableWriterOptions } from './table-writer';

/** JSON's number grammar: such cell text is written unquoted, byte for byte. */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * JSON Lines output, one object per row with the columns as keys. A source row read from JSONL keeps its
 * raw line (every key and value as it was) and gets the values' keys appended before the closing brace.
 */
export class JsonlWriter implements TableWriter {
  readonly contentType = CONTENT_TYPES.jsonl;
  private readonly keys: string[];
  private readonly passThrough: boolean;
  private readonly num: (n: number) => string;

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

  private value(v: OutputCell): string {
    if (typeof v === 'number') return Number.isFinite(v) ? this.num(v) : 'null';
    if (v == null) return 'null';
    return JSON_NUMBER.test(v) ? v : JSON.stringify(v);
  }
}
