import { CONTENT_TYPES } from './table';
import { ByteWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import { OutputSchemaError } from './errors';
import { parseNumber } from './parse-number';
import { type OutputCell, type OutputRow, type TableWriter, type TableWriterOptions } from './table-writer';

export type ParquetColumnType = 'DOUBLE' | 'STRING';

/**
 * Parquet output through hyparquet-writer. Rows are buffered one row group at a time; each full group is
 * encoded and its bytes returned by `rows()`, the footer by `end()`. Unless `parquetTypes` is given, the
 * first row group fixes the schema: DOUBLE for a column whose values are all numeric (or missing, with at
 * least one number), else STRING. A later non-numeric value in a DOUBLE column throws OutputSchemaError.
 */
export class ParquetTableWriter implements TableWriter {
  readonly contentType = CONTENT_TYPES.parquet;
  private readonly groupSize: number;
  private types: ParquetColumnType[] | undefined;
  private buffered: OutputCell[][];
  private count = 0;
  private rowsWritten = 0;
  private readonly bytes = new ByteWriter(1 << 20);
  private writer: ParquetWriter | undefined;

  constructor(private readonly columns: readonly string[], options: TableWriterOptions) {
    this.groupSize = options.rowGroupSize ?? 16384;
    this.types = options.parquetTypes ? [...options.parquetTypes] : undefined;
    this.buffered = columns.map(() => []);
  }

  header(): undefined {
    return undefined;
  }

  rows(rows: readonly OutputRow[]): Uint8Array {
    const parts: Uint8Array[] = [];
    const w = this.columns.length;
    for (const row of rows) {
      const values = row.values;
      const offset = w - values.length;
      const cells = row.source?.cells;
      for (let j = 0; j < offset; j++) this.buffered[j].push(cells?.[j] ?? null);
      for (let j = 0; j < values.length; j++) this.buffered[offset + j].push(values[j]);
      if (++this.count >= this.groupSize) parts.push(this.flush());
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  end(): Uint8Array {
    const parts = [this.count > 0 || !this.writer ? this.flush() : new Uint8Array(0)];
    this.writer!.finish();
    parts.push(this.take());
    return Buffer.concat(parts);
  }

  private flush(): Uint8Array {
    this.types ??= this.buffered.map(inferType);
    const columnData = this.columns.map((name, j) => ({
      name,
      data: this.types![j] === 'DOUBLE' ? this.toDoubles(j) : this.buffered[j].map(toText),
      type: this.types![j],
      nullable: true,
    }));
    this.writer ??= new ParquetWriter({ writer: this.bytes, schema: schemaFromColumnData({ columnData }), createdBy: 'residual' });
    void this.writer.write({ columnData, rowGroupSize: Math.max(1, this.count) });
    this.rowsWritten += this.count;
    this.count = 0;
    this.buffered = this.columns.map(() => []);
    return this.take();
  }

  private toDoubles(j: number): (number | null)[] {
    return this.buffered[j].map((v, r) => {
      if (v == null) return null;
      const n = typeof v === 'number' ? v : parseNumber(v);
      if (n === undefined) {
        throw new OutputSchemaError(`column '${this.columns[j]}' is DOUBLE in the parquet output, but output row ${this.rowsWritten + r + 1} holds a non-numeric value`);
      }
      return n !== n ? null : n;
    });
  }

  /** The bytes encoded since the last call; the ByteWriter's offset keeps counting, so file offsets stay right. */
  private take(): Uint8Array {
    const out = this.bytes.getBytes().slice();
    this.bytes.index = 0;
    return out;
  }
}

function inferType(values: readonly OutputCell[]): ParquetColumnType {
  let numbers = 0;
  for (const v of values) {
    if (v == null) continue;
    if (typeof v === 'number') { numbers++; continue; }
    if (parseNumber(v) === undefined) return 'STRING';
    numbers++;
  }
  return numbers > 0 ? 'DOUBLE' : 'STRING';
}

function toText(v: OutputCell): string | null {
  if (v == null) return null;
  if (typeof v === 'number') return v !== v ? null : String(v);
  return v;
}
