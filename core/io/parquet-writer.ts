import type { SchemaElement } from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { isParquetRow } from './parquet-reader';
import { elementFor, toOwnType, toSourceType, type ParquetColumnType } from './parquet-schema-out';
import { parseNumber } from './parse-number';
import { CONTENT_TYPES } from './table';
import { type OutputCell, type OutputRow, type TableWriter, type TableWriterOptions } from './table-writer';

export type { ParquetColumnType } from './parquet-schema-out';

/**
 * Parquet output through hyparquet-writer. Rows are buffered one row group at a time; each full group is
 * encoded and its bytes returned by `rows()`, the footer by `end()`. The schema is fixed by the first row
 * group: a column copied from a parquet input keeps that input's schema element (physical and logical type:
 * timestamps, int64, float32, strings; hyparquet-writer dictionary-encodes repetitive columns) and its
 * values as they were read. Other columns take `parquetTypes[j]`, else DOUBLE when every value of the first
 * row group is numeric (at least one number), else STRING. A later value that does not fit its column's type
 * throws OutputSchemaError.
 */
export class ParquetTableWriter implements TableWriter {
  readonly contentType = CONTENT_TYPES.parquet;
  private readonly groupSize: number;
  private readonly given: readonly (ParquetColumnType | undefined)[];
  /** per column: the input's element (copied column) or the type this writer chose */
  private columnTypes: (SchemaElement | ParquetColumnType)[] | undefined;
  private sourceSchema: readonly (SchemaElement | undefined)[] | null | undefined;
  private buffered: unknown[][];
  private count = 0;
  private rowsWritten = 0;
  private readonly bytes = new ByteWriter(1 << 20);
  private writer: ParquetWriter | undefined;

  constructor(private readonly columns: readonly string[], options: TableWriterOptions) {
    this.groupSize = options.rowGroupSize ?? 16384;
    this.given = options.parquetTypes ?? [];
    this.buffered = columns.map(() => []);
    this.sourceSchema = options.parquetSourceSchema;
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
      const src = row.source;
      if (this.sourceSchema === undefined && (src !== undefined || offset === 0)) this.sourceSchema = isParquetRow(src) ? src.schema : null;
      const decoded = isParquetRow(src) ? src.values : undefined;
      const cells = src?.cells;
      for (let j = 0; j < offset; j++) this.buffered[j].push(decoded ? decoded[j] : cells?.[j] ?? null);
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
    this.columnTypes ??= this.columns.map((name, j) => {
      const element = this.sourceSchema?.[j];
      if (element !== undefined && element.name === name) return element;
      return this.given[j] ?? inferType(this.buffered[j]);
    });
    const types = this.columnTypes;
    const columnData = this.columns.map((name, j) => {
      const t = types[j];
      const describe = (r: number) => (type: string) =>
        `column '${name}' is ${type} in the parquet output, but output row ${this.rowsWritten + r + 1}`;
      const data = typeof t === 'string'
        ? this.buffered[j].map((v, r) => toOwnType(t, v as OutputCell, describe(r)))
        : this.buffered[j].map((v, r) => toSourceType(t, v, describe(r)));
      return { name, data };
    });
    if (!this.writer) {
      const root: SchemaElement = { name: 'root', num_children: this.columns.length };
      const schema = [root, ...types.map((t, j) => (typeof t === 'string' ? elementFor(this.columns[j], t) : t))];
      // hyparquet-writer types SchemaElement with its own (older) copy of hyparquet's types
      type WriterSchema = ConstructorParameters<typeof ParquetWriter>[0]['schema'];
      this.writer = new ParquetWriter({ writer: this.bytes, schema: schema as unknown as WriterSchema, createdBy: 'residual' });
    }
    void this.writer.write({ columnData, rowGroupSize: Math.max(1, this.count) });
    this.rowsWritten += this.count;
    this.count = 0;
    this.buffered = this.columns.map(() => []);
    return this.take();
  }

  /** The bytes encoded since the last call; the ByteWriter's offset keeps counting, so file offsets stay right. */
  private take(): Uint8Array {
    const out = this.bytes.getBytes().slice();
    this.bytes.index = 0;
    return out;
  }
}

function inferType(values: readonly unknown[]): ParquetColumnType {
  let numbers = 0;
  for (const v of values) {
    if (v == null) continue;
    if (typeof v === 'number') { numbers++; continue; }
    if (typeof v !== 'string' || parseNumber(v) === undefined) return 'STRING';
    numbers++;
  }
  return numbers > 0 ? 'DOUBLE' : 'STRING';
}
