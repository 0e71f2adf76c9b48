import { InternalError } from '../errors';
import { OutputSchemaError } from './errors';
import { thriftStruct, type ThriftField } from './thrift-compact';

/** Parquet physical types, encodings and codes this encoder writes (parquet.thrift). */
const INT64 = 2;
const DOUBLE = 5;
const OPTIONAL = 1;
const PLAIN = 0;
const RLE = 3;
const UNCOMPRESSED = 0;
const DATA_PAGE = 0;
const MAGIC = new TextEncoder().encode('PAR1');

export interface NumericParquetOptions {
  /** Per column: write INT64 (the value must be an integer, else OutputSchemaError); otherwise DOUBLE. */
  integer?: readonly boolean[];
  /** Rows per row group (one data page per column chunk). Default 65536. */
  rowGroupSize?: number;
}

/**
 * A numeric matrix (row-major) as a whole Parquet file, the pages encoded directly: OPTIONAL DOUBLE columns
 * (INT64 where `integer[j]`), PLAIN values, RLE definition levels (NaN is null), uncompressed, one data page
 * (v1) per column chunk. The sample path's writer: ParquetTableWriter (hyparquet-writer) takes OutputRow objects
 * cell by cell, infers and checks types and looks for dictionary runs, none of which a numeric sample needs.
 * Numbers are rounded to float32 (Math.fround), as numeric-table-text.ts writes them, so every format holds the
 * same values.
 */
export function numericParquet(columns: readonly string[], values: ArrayLike<number>, options: NumericParquetOptions = {}): Uint8Array {
  const f = columns.length;
  if (f === 0 || values.length % f !== 0) throw new InternalError(`${values.length} values are not rows of ${f} columns`);
  const n = values.length / f;
  const integer = columns.map((_, j) => options.integer?.[j] === true);
  const groupSize = Math.max(1, options.rowGroupSize ?? 65536);
  const parts: Uint8Array[] = [MAGIC];
  let offset = MAGIC.length;
  const rowGroups: ThriftField[][] = [];
  for (let r0 = 0; r0 < n; r0 += groupSize) {
    const r1 = Math.min(n, r0 + groupSize);
    const chunks: ThriftField[][] = [];
    let groupBytes = 0;
    for (let j = 0; j < f; j++) {
      const data = encodePage(values, f, j, r0, r1, integer[j]!, columns[j]!);
      const header = thriftStruct([
        { id: 1, i32: DATA_PAGE },
        { id: 2, i32: data.length },
        { id: 3, i32: data.length },
        {
          id: 5,
          struct: [{ id: 1, i32: r1 - r0 }, { id: 2, i32: PLAIN }, { id: 3, i32: RLE }, { id: 4, i32: RLE }],
        },
      ]);
      const size = header.length + data.length;
      chunks.push([
        { id: 2, i64: offset },
        {
          id: 3,
          struct: [
            { id: 1, i32: integer[j] ? INT64 : DOUBLE },
            { id: 2, i32s: [PLAIN, RLE] },
            { id: 3, strings: [columns[j]!] },
            { id: 4, i32: UNCOMPRESSED },
            { id: 5, i64: r1 - r0 },
            { id: 6, i64: size },
            { id: 7, i64: size },
            { id: 9, i64: offset },
          ],
        },
      ]);
      parts.push(header, data);
      offset += size;
      groupBytes += size;
    }
    rowGroups.push([{ id: 1, structs: chunks }, { id: 2, i64: groupBytes }, { id: 3, i64: r1 - r0 }]);
  }
  const schema: ThriftField[][] = [
    [{ id: 4, string: 'root' }, { id: 5, i32: f }],
    ...columns.map((name, j): ThriftField[] => [
      { id: 1, i32: integer[j] ? INT64 : DOUBLE }, { id: 3, i32: OPTIONAL }, { id: 4, string: name },
    ]),
  ];
  const footer = thriftStruct([
    { id: 1, i32: 1 },
    { id: 2, structs: schema },
    { id: 3, i64: n },
    { id: 4, structs: rowGroups },
    { id: 6, string: 'residual' },
  ]);
  const tail = new Uint8Array(8);
  new DataView(tail.buffer).setUint32(0, footer.length, true);
  tail.set(MAGIC, 4);
  parts.push(footer, tail);
  return Buffer.concat(parts);
}

/** One column's rows r0..r1 as a v1 data page body: length-prefixed RLE definition levels, then PLAIN values. */
function encodePage(
  values: ArrayLike<number>,
  f: number,
  j: number,
  r0: number,
  r1: number,
  integer: boolean,
  name: string,
): Uint8Array {
  let present = 0;
  let runs = 0;
  let prev = -1;
  for (let r = r0; r < r1; r++) {
    const def = values[r * f + j]! === values[r * f + j]! ? 1 : 0;
    present += def;
    if (def !== prev) runs++;
    prev = def;
  }
  // a run header is a varint of count·2 (at most 5 bytes for a group of < 2^31 rows) and one level byte
  const out = new Uint8Array(4 + runs * 6 + present * 8);
  const view = new DataView(out.buffer);
  let at = 4;
  let start = r0;
  while (start < r1) {
    const def = values[start * f + j]! === values[start * f + j]! ? 1 : 0;
    let end = start + 1;
    while (end < r1 && (values[end * f + j]! === values[end * f + j]! ? 1 : 0) === def) end++;
    let u = (end - start) * 2;
    while (u >= 128) {
      out[at++] = (u % 128) | 128;
      u = Math.floor(u / 128);
    }
    out[at++] = u;
    out[at++] = def;
    start = end;
  }
  view.setUint32(0, at - 4, true);
  for (let r = r0; r < r1; r++) {
    const v = values[r * f + j]!;
    if (v !== v) continue;
    const x = Math.fround(v);
    if (!integer) {
      view.setFloat64(at, x, true);
    } else {
      if (!Number.isInteger(x)) throw new OutputSchemaError(`column '${name}' is INT64 in the parquet output, but row ${r + 1} holds ${v}`);
      const hi = Math.floor(x / 4294967296);
      view.setUint32(at, x - hi * 4294967296, true);
      view.setInt32(at + 4, hi, true);
    }
    at += 8;
  }
  return out.subarray(0, at);
}
