import { createTableWriter, type CsvDelimiter, type OutputRow, type TableFormat, type TableWriter } from '../core/io';
import type { ScoredBatch } from './score-table';

/** Turns scored batches into the bytes of one output object, in order. */
export interface OutputEncoder {
  batch(batch: ScoredBatch): string | Uint8Array;
  end(): string | Uint8Array;
}

/**
 * Wraps core/io's table writers: unchanged rows are written from their source (CSV→CSV and JSONL→JSONL
 * byte for byte) followed by the appended columns; rows with replaced cells are written whole. Model
 * outputs are float32 and are written in the shortest form that reads back as the same float32.
 */
export function createOutputEncoder(format: TableFormat, inputFormat: TableFormat, delimiter: CsvDelimiter = ','): OutputEncoder {
  let writer: TableWriter | null = null;
  return {
    batch(batch: ScoredBatch): string | Uint8Array {
      let head: string | Uint8Array | undefined;
      if (writer === null) {
        writer = createTableWriter(format, [...batch.columns, ...batch.extraColumns], { delimiter, sourceFormat: inputFormat, float32: true });
        head = writer.header();
      }
      const rows: OutputRow[] = new Array(batch.rows.length);
      for (let r = 0; r < batch.rows.length; r++) {
        const row = batch.rows[r]!;
        rows[r] = row.cells === undefined ? { source: row.source, values: row.extra } : { values: row.extra.length ? [...row.cells, ...row.extra] : row.cells };
      }
      const body = writer.rows(rows);
      return head === undefined ? body : concat(head, body);
    },
    end(): string | Uint8Array {
      return writer?.end() ?? '';
    },
  };
}

function concat(a: string | Uint8Array, b: string | Uint8Array): string | Uint8Array {
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  const enc = (x: string | Uint8Array) => (typeof x === 'string' ? new TextEncoder().encode(x) : x);
  const [x, y] = [enc(a), enc(b)];
  const out = new Uint8Array(x.length + y.length);
  out.set(x);
  out.set(y, x.length);
  return out;
}
