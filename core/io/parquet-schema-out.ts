import type { SchemaElement } from 'hyparquet';
import { OutputSchemaError } from './errors';
import { parseNumber } from './parse-number';
import { RawTimestamp } from './raw-timestamp';
import type { OutputCell } from './table-writer';

/** Types the parquet writer gives a column it makes (not copied from a parquet input). */
export type ParquetColumnType = 'DOUBLE' | 'STRING' | 'INT8';

export function elementFor(name: string, type: ParquetColumnType): SchemaElement {
  switch (type) {
    case 'DOUBLE': return { name, type: 'DOUBLE', repetition_type: 'OPTIONAL' };
    case 'INT8':
      return {
        name,
        type: 'INT32',
        repetition_type: 'OPTIONAL',
        converted_type: 'INT_8',
        logical_type: { type: 'INTEGER', bitWidth: 8, isSigned: true },
      };
    case 'STRING':
      return { name, type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
  }
}

/**
 * A value for a column copied from a parquet input with schema element `e`. `value` is the input's decoded
 * value (a pass-through row: written as it was read, timestamps from their stored integer) or an output
 * cell (a row whose cells were replaced: text or a number, converted back to the column's type).
 */
export function toSourceType(e: SchemaElement, value: unknown, describe: (type: string) => string): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof RawTimestamp) return value.raw;
  if (typeof value !== 'string' && typeof value !== 'number') return value;
  if (typeof value === 'number' && value !== value) return null;
  const lt = e.logical_type?.type;
  const ct = e.converted_type;
  if (lt === 'TIMESTAMP' || ct === 'TIMESTAMP_MILLIS' || ct === 'TIMESTAMP_MICROS') {
    const ms = typeof value === 'number' ? value : Date.parse(value);
    if (!Number.isFinite(ms)) throw new OutputSchemaError(`${describe('TIMESTAMP')} holds a value that is not a timestamp`);
    return new Date(ms);
  }
  switch (e.type) {
    case 'DOUBLE':
    case 'FLOAT': {
      const n = typeof value === 'number' ? value : parseNumber(value);
      if (n === undefined) throw new OutputSchemaError(`${describe(e.type)} holds a non-numeric value`);
      return n !== n ? null : n;
    }
    case 'INT32':
    case 'INT64': {
      const n = typeof value === 'number' ? value : parseNumber(value);
      if (n === undefined || !Number.isInteger(n)) throw new OutputSchemaError(`${describe(e.type)} holds a value that is not an integer`);
      return e.type === 'INT64' ? BigInt(typeof value === 'string' && /^-?\d+$/.test(value) ? value : n) : n;
    }
    case 'BOOLEAN':
      if (value === 'true' || value === 'false') return value === 'true';
      throw new OutputSchemaError(`${describe('BOOLEAN')} holds a value that is not true or false`);
    default:
      return typeof value === 'number' ? String(value) : value;
  }
}

/** An output cell for a column the writer made. */
export function toOwnType(type: ParquetColumnType, v: OutputCell, describe: (type: string) => string): number | string | null {
  if (v == null) return null;
  if (type === 'STRING') return typeof v === 'number' ? (v !== v ? null : String(v)) : v;
  const n = typeof v === 'number' ? v : parseNumber(v);
  if (n === undefined || (type === 'INT8' && n === n && !(Number.isInteger(n) && n >= -128 && n <= 127))) {
    throw new OutputSchemaError(`${describe(type)} holds a ${n === undefined ? 'non-numeric value' : 'value out of its range'}`);
  }
  return n !== n ? null : n;
}
