/**
 * A writer of Thrift's compact protocol, the encoding of parquet's page headers and footer, for the few
 * field types those use (numeric-table-parquet.ts). hyparquet-writer has one, but its package exports
 * only its row-group writer, not the serializer.
 */
export type ThriftField =
  | { id: number; i32: number }
  | { id: number; i64: number }
  | { id: number; string: string }
  | { id: number; struct: readonly ThriftField[] }
  | { id: number; i32s: readonly number[] }
  | { id: number; strings: readonly string[] }
  | { id: number; structs: readonly (readonly ThriftField[])[] };

const I32 = 5;
const I64 = 6;
const BINARY = 8;
const LIST = 9;
const STRUCT = 12;

/** The bytes of one struct: its fields in increasing id order, then the stop byte. */
export function thriftStruct(fields: readonly ThriftField[]): Uint8Array {
  const out: number[] = [];
  writeStruct(out, fields);
  return Uint8Array.from(out);
}

function writeStruct(out: number[], fields: readonly ThriftField[]): void {
  let last = 0;
  for (const field of fields) {
    const type = 'i32' in field ? I32 : 'i64' in field ? I64 : 'string' in field ? BINARY : 'struct' in field ? STRUCT : LIST;
    const delta = field.id - last;
    if (delta > 0 && delta <= 15) out.push((delta << 4) | type);
    else {
      out.push(type);
      varint(out, zigzag(field.id));
    }
    last = field.id;
    if ('i32' in field) varint(out, zigzag(field.i32));
    else if ('i64' in field) varint(out, zigzag(field.i64));
    else if ('string' in field) binary(out, field.string);
    else if ('struct' in field) writeStruct(out, field.struct);
    else if ('i32s' in field) {
      listHeader(out, field.i32s.length, I32);
      for (const v of field.i32s) varint(out, zigzag(v));
    } else if ('strings' in field) {
      listHeader(out, field.strings.length, BINARY);
      for (const v of field.strings) binary(out, v);
    } else {
      listHeader(out, field.structs.length, STRUCT);
      for (const s of field.structs) writeStruct(out, s);
    }
  }
  out.push(0);
}

function listHeader(out: number[], size: number, type: number): void {
  if (size < 15) out.push((size << 4) | type);
  else {
    out.push(0xf0 | type);
    varint(out, size);
  }
}

function binary(out: number[], s: string): void {
  const bytes = new TextEncoder().encode(s);
  varint(out, bytes.length);
  for (const b of bytes) out.push(b);
}

/** Zigzag of an integer up to 2^52 in magnitude (plain arithmetic: bit operators stop at 32 bits). */
function zigzag(n: number): number {
  return n >= 0 ? 2 * n : -2 * n - 1;
}

function varint(out: number[], u: number): void {
  while (u >= 128) {
    out.push((u % 128) | 128);
    u = Math.floor(u / 128);
  }
  out.push(u);
}
