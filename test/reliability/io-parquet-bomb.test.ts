import type { FileMetaData } from 'hyparquet';
import { DecompressionBombError, HeaderError, readParquetTable } from '../../core/io';
import { parquetBombCheck } from '../../core/io/parquet-bomb-guard';
import { bufferSource, readParquetBytes, writeParquet } from './io-helpers';

describe('parquet decompression-bomb guard (issue 10 item 11)', () => {
  test('a small file with 300,000 rows in one row group is refused as DECOMPRESSION_BOMB before decoding', async () => {
    const n = 300_000;
    const bytes = writeParquet([
      { name: 'a', data: new Float64Array(n), type: 'DOUBLE' },
      { name: 'b', data: new Float64Array(n), type: 'DOUBLE' },
    ], { rowGroupSize: n, pageSize: 1 << 30 });
    expect(bytes.length).toBeLessThan(10_000);
    const heapBefore = process.memoryUsage().heapUsed;
    const started = Date.now();
    const read = async () => {
      for await (const chunk of readParquetTable(bufferSource(bytes), { ratioGraceBytes: 1 << 20 })) void chunk;
    };
    const error = await read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecompressionBombError);
    expect((error as DecompressionBombError).code).toBe('DECOMPRESSION_BOMB');
    expect((error as Error).message).toContain('maxCompressionRatio=200');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });

  test('under the default limits, 8 million rows in a 277 KB file are over the ratio limit', () => {
    const rows = 8_000_000n;
    const column = { meta_data: { num_values: rows, total_uncompressed_size: 100_000n } };
    const metadata = { row_groups: [{ num_rows: rows, columns: [column, column] }] } as unknown as FileMetaData;
    expect(parquetBombCheck(metadata, 277_000, {})).toEqual({ decoded: 128_000_000, limit: 'maxCompressionRatio=200' });
    expect(parquetBombCheck(metadata, 1_000_000, {})).toBeUndefined();
  });

  test('a row group read in slices gives every row once, in order, with its row number', async () => {
    const n = 10_000;
    const bytes = writeParquet([{ name: 'a', data: Float64Array.from({ length: n }, (_, i) => i), type: 'DOUBLE' }], { rowGroupSize: n });
    const read = await readParquetBytes(bytes, { chunkRows: 1000, sliceRows: 3000 });
    expect(read.rows).toHaveLength(n);
    expect(read.rows.every((r, i) => r.line === i + 1 && r.cells[0] === String(i))).toBe(true);
  });
});

describe('duplicate parquet column names (issue 10 item 5)', () => {
  test('a parquet file with two columns of the same name is refused with BAD_HEADER naming their positions', async () => {
    const bytes = writeParquet([
      { name: 'a', data: Float64Array.from([1, 2]), type: 'DOUBLE' },
      { name: 'a', data: Float64Array.from([3, 4]), type: 'DOUBLE' },
    ]);
    const error = await readParquetBytes(bytes).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeaderError);
    expect((error as Error).message).toBe('parquet columns 1 and 2 have the same name');
  });
});
