import type { ParquetParsers } from 'hyparquet';

/**
 * A parquet timestamp as hyparquet's Date (millisecond precision, for cell text) that also keeps the stored
 * integer, so a parquet output can write the value back exactly (microseconds and nanoseconds included).
 */
export class RawTimestamp extends Date {
  constructor(readonly raw: bigint, readonly unit: 'MILLIS' | 'MICROS' | 'NANOS') {
    super(Number(unit === 'MILLIS' ? raw : unit === 'MICROS' ? raw / 1000n : raw / 1000000n));
  }
}

export const timestampParsers: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (v: bigint) => new RawTimestamp(BigInt(v), 'MILLIS'),
  timestampFromMicroseconds: (v: bigint) => new RawTimestamp(BigInt(v), 'MICROS'),
  timestampFromNanoseconds: (v: bigint) => new RawTimestamp(BigInt(v), 'NANOS'),
};
