import {
  createTableWriter,
  isParquetRow,
  type CsvDelimiter,
  type OutputCell,
  type TableRow,
  type ParquetColumnType,
  type OutputRow,
  type TableFormat,
  type TableWriter,
} from '../core/io';
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
        const parquetTypes = [...batch.columns.map(() => undefined), ...batch.extraColumns.map(appendedType)];
        // rows with replaced cells are written without their source: the parquet input's schema is given here
        const parquetSourceSchema = batch.rows.map((r) => r.source).find(isParquetRow)?.schema;
        writer = createTableWriter(format, [...batch.columns, ...batch.extraColumns], {
          delimiter, sourceFormat: inputFormat, float32: true, parquetTypes, parquetSourceSchema,
        });
        head = writer.header();
      }
      const rows: OutputRow[] = new Array(batch.rows.length);
      for (let r = 0; r < batch.rows.length; r++) {
        const row = batch.rows[r]!;
        if (row.cells === undefined) rows[r] = { source: row.source, values: row.extra };
        else {
          const cells = format === 'parquet' ? keptValues(row.cells, row.source) : row.cells;
          rows[r] = { values: row.extra.length ? [...cells, ...row.extra] : cells };
        }
      }
      const body = writer.rows(rows);
      return head === undefined ? body : concat(head, body);
    },
    end(): string | Uint8Array {
      return writer?.end() ?? '';
    },
  };
}

/**
 * Parquet output: a replaced row's cells, where each cell left unchanged from a parquet source is its decoded value (the
 * parquet writer writes those as they were read: exact timestamps, int64), not its text.
 */
function keptValues(cells: OutputCell[], source: TableRow): OutputCell[] {
  if (!isParquetRow(source)) return cells;
  return cells.map((c, j) => (c === source.cells[j] ? (source.values[j] as OutputCell) : c));
}

/**
 * Parquet types of the columns scoring appends: is_anomaly a signed 8-bit integer, top_features and top_errors text,
 * scores and latents double.
 */
function appendedType(name: string): ParquetColumnType {
  if (name === 'is_anomaly' || name.startsWith('imputed_')) return 'INT8';
  return name === 'top_features' || name === 'top_errors' ? 'STRING' : 'DOUBLE';
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
