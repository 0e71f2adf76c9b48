import { ByteWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import type { OutputEncoder } from './output-encoder';
import type { ScoredBatch } from './score-table';

/** A ByteWriter whose written bytes can be taken away after each row group, so memory stays bounded. */
class DrainingWriter extends ByteWriter {
  take(): Uint8Array {
    const bytes = new Uint8Array(this.buffer.slice(0, this.index));
    this.index = 0;
    return bytes;
  }
}

const NUMERIC_EXTRA = new Set(['anomaly_score']);

/**
 * Parquet output, one row group per scored batch. Model feature columns and numeric results are DOUBLE,
 * `is_anomaly` INT32, everything else UTF-8 strings; missing values are nulls.
 */
export function createParquetEncoder(): OutputEncoder {
  const out = new DrainingWriter(1 << 20);
  let writer: ParquetWriter | null = null;
  let numeric: boolean[] = [];
  let names: string[] = [];

  return {
    contentType: 'application/vnd.apache.parquet',
    batch(batch: ScoredBatch): Uint8Array {
      const columnData = toColumns(batch);
      if (writer === null) {
        names = [...batch.columns, ...batch.extraColumns];
        const features = new Set(batch.featureColumns);
        numeric = names.map((n, i) => features.has(i) || NUMERIC_EXTRA.has(n) || /^z\d+$/.test(n));
        writer = new ParquetWriter({ writer: out, schema: schemaFromColumnData({ columnData: typed(columnData, names, numeric) }), createdBy: 'residual' });
      }
      if (batch.rows.length === 0) return out.take();
      void writer.write({ columnData: typed(columnData, names, numeric), rowGroupSize: batch.rows.length + 1 });
      return out.take();
    },
    end(): Uint8Array {
      if (writer === null) return new Uint8Array(0);
      void writer.finish();
      return out.take();
    },
  };
}

function toColumns(batch: ScoredBatch): (string | null)[][] {
  const width = batch.columns.length + batch.extraColumns.length;
  const cols = Array.from({ length: width }, () => new Array<string | null>(batch.rows.length));
  batch.rows.forEach((row, r) => {
    const cells = row.cells ?? row.source.cells;
    for (let c = 0; c < batch.columns.length; c++) cols[c]![r] = cells[c] ?? null;
    for (let e = 0; e < row.extra.length; e++) cols[batch.columns.length + e]![r] = row.extra[e] === '' ? null : row.extra[e]!;
  });
  return cols;
}

function typed(cols: (string | null)[][], names: string[], numeric: boolean[]) {
  return cols.map((values, i) => {
    const name = names[i]!;
    if (name === 'is_anomaly') return { name, type: 'INT32' as const, nullable: false, data: values.map((v) => Number(v ?? 0)) };
    if (numeric[i]) return { name, type: 'DOUBLE' as const, nullable: true, data: values.map((v) => (v === null ? null : Number(v))) };
    return { name, type: 'STRING' as const, nullable: true, data: values };
  });
}
