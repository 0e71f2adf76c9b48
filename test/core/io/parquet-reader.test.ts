import { parquetWriteBuffer } from 'hyparquet-writer';
import { CorruptParquetError, EmptyObjectError, createTableWriter, readParquetTable, readTable, type TableChunk } from '../../../core/io';
import { source } from './helpers';

function fileOf(bytes: ArrayBuffer | Uint8Array) {
  const b = Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  return { byteLength: b.length, slice: (s: number, e?: number) => b.buffer.slice(b.byteOffset + s, b.byteOffset + (e ?? b.length)) };
}

async function all(gen: AsyncGenerator<TableChunk>): Promise<TableChunk[]> {
  const out: TableChunk[] = [];
  for await (const c of gen) out.push(c);
  return out;
}

describe('parquet', () => {
  test('cells are text: doubles in shortest form, INT64 as digits, booleans, null and NaN missing', async () => {
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'x', data: [0.1, NaN, null], type: 'DOUBLE' },
        { name: 'n', data: [1n, 2n, 3n], type: 'INT64' },
        { name: 'ok', data: [true, false, null], type: 'BOOLEAN' },
      ],
    });
    const [chunk] = await all(readParquetTable(fileOf(bytes)));
    expect(chunk.rows.map((r) => [r.line, r.cells])).toEqual([
      [1, ['0.1', '1', 'true']],
      [2, [null, '2', 'false']],
      [3, [null, '3', null]],
    ]);
  });

  test('row groups are read one at a time and split into chunks of chunkRows, numbered across groups', async () => {
    const writer = createTableWriter('parquet', ['v'], { rowGroupSize: 4 });
    const bytes = Buffer.concat([
      writer.rows(Array.from({ length: 10 }, (_, i) => ({ values: [i] }))) as Uint8Array,
      writer.end() as Uint8Array,
    ]);
    const chunks = await all(readParquetTable(fileOf(bytes), { chunkRows: 3 }));
    expect(chunks.map((c) => c.rows.map((r) => r.line))).toEqual([[1, 2, 3], [4], [5, 6, 7], [8], [9, 10]]);
  });

  test('the writer infers DOUBLE for numeric columns and STRING for text', async () => {
    const writer = createTableWriter('parquet', ['num', 'txt', 'score'], {});
    const bytes = Buffer.concat([
      writer.rows([{ values: ['1.5', 'a', 0.25] }, { values: [null, '2', NaN] }]) as Uint8Array,
      writer.end() as Uint8Array,
    ]);
    const [chunk] = await all(readParquetTable(fileOf(bytes)));
    expect(chunk.rows.map((r) => r.cells)).toEqual([['1.5', 'a', '0.25'], [null, '2', null]]);
  });

  test('a non-numeric value for a column the first row group made DOUBLE throws OutputSchemaError', () => {
    const writer = createTableWriter('parquet', ['v'], { rowGroupSize: 1 });
    writer.rows([{ values: ['1'] }]);
    expect(() => writer.rows([{ values: ['abc'] }])).toThrow(/column 'v' is DOUBLE .* output row 2/);
  });

  test('readTable reads parquet from a byte stream', async () => {
    const bytes = parquetWriteBuffer({ columnData: [{ name: 'a', data: ['x', 'y'], type: 'STRING' }] });
    const chunks = await all(readTable(source(new Uint8Array(bytes), 7), { format: 'parquet' }));
    expect(chunks[0].rows.map((r) => r.cells)).toEqual([['x'], ['y']]);
  });

  test('bytes that are not parquet throw CorruptParquetError', async () => {
    await expect(all(readParquetTable(fileOf(Buffer.from('a,b\n1,2\n'))))).rejects.toBeInstanceOf(CorruptParquetError);
  });

  test('an empty object throws EmptyObjectError', async () => {
    await expect(all(readParquetTable(fileOf(new Uint8Array(0))))).rejects.toBeInstanceOf(EmptyObjectError);
  });
});
