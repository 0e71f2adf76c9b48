import { ByteCopier } from './byte-copy';
import { CsvRow } from './csv-row';
import { formatFloat32 } from './format-number';
import type { TableRow } from './table';
import { writeFloat32 } from './write-float32';

// an imported binding is a getter under CommonJS (read per use): the per-cell call reads a module constant
const WRITE_FLOAT32 = writeFloat32;

/** The most bytes writeFloat32 writes for one value. */
export const FLOAT32_TEXT_BYTES = 24;

/**
 * A CSV row with some cells replaced by float32 values (impute, denoise), every other byte as it was read. For a
 * CSV output the writer copies the record's bytes with the new values' text spliced in at the replaced fields
 * (`writeTo`: no decoding to text, no per-cell strings); `raw` and `cells` (other outputs) are built when read.
 * `cols[from + i]` (increasing column indices) gets `values[from + i]`, for i < count: the arrays are shared by the
 * rows of one batch (one allocation per batch, not per row).
 */
export class CsvSplicedRow implements TableRow {
  readonly line: number;
  private cellCache: (string | null)[] | undefined;

  constructor(
    readonly source: CsvRow, private readonly cols: Int32Array, private readonly values: Float32Array,
    private readonly from: number, private readonly count: number,
  ) {
    this.line = source.line;
  }

  /** Bytes writeTo writes at most. */
  get maxBytes(): number {
    return this.source.end - this.source.start + this.count * FLOAT32_TEXT_BYTES;
  }

  /**
   * Writes the record (no line terminator) into `out` at `at`; returns the offset after it. `copier` (on `out`): the
   * one a batch's rows share (csv-writer.ts).
   */
  writeTo(out: Buffer, at: number, copier = new ByteCopier(out)): number {
    const src = this.source;
    const bytes = src.bytes;
    let from = src.start;
    const { cols, values } = this;
    for (let i = this.from, end = this.from + this.count; i < end; i++) {
      const j = cols[i]!;
      const fieldStart = src.fieldStart(j);
      at = copier.copy(bytes, from, fieldStart, at);
      at = WRITE_FLOAT32(out, at, values[i]!);
      from = src.fieldStart(j + 1) - 1;
    }
    return copier.copy(bytes, from, src.end, at);
  }

  get raw(): string {
    const out = Buffer.allocUnsafe(this.maxBytes);
    return out.toString('utf8', 0, this.writeTo(out, 0));
  }

  get cells(): readonly (string | null)[] {
    if (this.cellCache) return this.cellCache;
    const cells = this.source.cells.slice();
    for (let i = this.from; i < this.from + this.count; i++) cells[this.cols[i]!] = formatFloat32(this.values[i]!);
    this.cellCache = cells;
    return cells;
  }
}
