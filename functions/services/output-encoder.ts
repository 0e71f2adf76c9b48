import type { CsvDelimiter, TableFormat } from '../../core/io';
import { InputError } from '../../core/errors';
import type { ScoredBatch } from './score-table';
import { createParquetEncoder } from './parquet-encoder';

/** Turns scored batches into the bytes of one output object, in order. */
export interface OutputEncoder {
  readonly contentType: string;
  batch(batch: ScoredBatch): string | Uint8Array;
  end(): string | Uint8Array;
}

export function createOutputEncoder(format: TableFormat, inputFormat: TableFormat, delimiter: CsvDelimiter = ','): OutputEncoder {
  switch (format) {
    case 'csv':
      return new CsvEncoder(delimiter, inputFormat === 'csv');
    case 'jsonl':
      return new JsonlEncoder(inputFormat === 'jsonl');
    case 'parquet':
      return createParquetEncoder();
    default:
      throw new InputError(`unsupported output format '${String(format)}'`);
  }
}

/** RFC 4180 quoting: only fields holding the delimiter, a quote or a line break are quoted. */
export function csvField(value: string | null, delimiter: string): string {
  if (value === null || value === '') return '';
  if (value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r')) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

class CsvEncoder implements OutputEncoder {
  readonly contentType = 'text/csv; charset=utf-8';
  private started = false;

  /** `passThrough`: the input was CSV, so unchanged rows are copied byte for byte from their raw text. */
  constructor(private readonly delimiter: string, private readonly passThrough: boolean) {}

  batch(batch: ScoredBatch): string {
    const d = this.delimiter;
    const parts: string[] = [];
    if (!this.started) {
      this.started = true;
      parts.push([...batch.columns, ...batch.extraColumns].map((c) => csvField(c, d)).join(d));
    }
    for (const row of batch.rows) {
      let line = row.cells === undefined && this.passThrough && row.source.raw !== undefined
        ? row.source.raw
        : (row.cells ?? row.source.cells).map((c) => csvField(c, d)).join(d);
      for (const e of row.extra) line += d + csvField(e, d);
      parts.push(line);
    }
    return parts.length ? parts.join('\n') + '\n' : '';
  }

  end(): string {
    return '';
  }
}

class JsonlEncoder implements OutputEncoder {
  readonly contentType = 'application/x-ndjson; charset=utf-8';

  /** `fromJson`: the input was JSON Lines, so each output object starts from the parsed input line. */
  constructor(private readonly fromJson: boolean) {}

  batch(batch: ScoredBatch): string {
    let out = '';
    for (const row of batch.rows) {
      const obj: Record<string, unknown> = this.fromJson && row.source.raw !== undefined ? JSON.parse(row.source.raw) : {};
      const cells = row.cells ?? row.source.cells;
      batch.columns.forEach((c, i) => {
        if (this.fromJson && row.cells === undefined) return;
        if (this.fromJson && row.cells !== undefined && row.cells[i] === row.source.cells[i]) return;
        obj[c] = jsonValue(cells[i] ?? null);
      });
      batch.extraColumns.forEach((c, i) => {
        obj[c] = c === 'top_features' ? row.extra[i] : jsonValue(row.extra[i] === '' ? null : row.extra[i]!);
      });
      out += JSON.stringify(obj) + '\n';
    }
    return out;
  }

  end(): string {
    return '';
  }
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function jsonValue(cell: string | null): string | number | null {
  if (cell === null) return null;
  return NUMBER.test(cell) ? Number(cell) : cell;
}
