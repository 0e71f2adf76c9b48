import { gunzipSync } from 'node:zlib';
import { createTableWriter, OutputSchemaError, readParquetTable, type TableChunk } from '../../../core/io';
import { AsciiBuffer } from '../../../core/io/ascii-buffer';
import { formatFloat32 } from '../../../core/io/format-number';
import { numericParquet } from '../../../core/io/numeric-table-parquet';
import { numericCsv, numericJsonl } from '../../../core/io/numeric-table-text';
import { Rng } from '../../../core/rng';
import { encodeSamples } from '../../../training/sample-command';

function fileOf(bytes: Uint8Array) {
  const b = Buffer.from(bytes);
  return { byteLength: b.length, slice: (s: number, e?: number) => b.buffer.slice(b.byteOffset + s, b.byteOffset + (e ?? b.length)) };
}

async function parquetRows(bytes: Uint8Array): Promise<{ columns: string[]; cells: (string | null)[][]; values: unknown[][] }> {
  const chunks: TableChunk[] = [];
  for await (const c of readParquetTable(fileOf(bytes))) chunks.push(c);
  const rows = chunks.flatMap((c) => c.rows);
  return {
    columns: chunks[0]?.columns ?? [],
    cells: rows.map((r) => [...r.cells]),
    values: rows.map((r) => [...(r as unknown as { values: unknown[] }).values]),
  };
}

/** 5 columns: doubles of every magnitude, integers, seen float32 values, NaN and ±Infinity here and there. */
function matrix(n: number): Float64Array {
  const rng = new Rng(11);
  const seen = Float32Array.from([0.1, 2.5, -7.25, 1e-7, 3.3333333]);
  const v = new Float64Array(n * 5);
  for (let r = 0; r < n; r++) {
    v[r * 5] = rng.normal() * 10 ** (rng.int(24) - 12);
    v[r * 5 + 1] = rng.int(2001) - 1000;
    v[r * 5 + 2] = seen[rng.int(seen.length)]!;
    v[r * 5 + 3] = rng.next() < 0.1 ? NaN : rng.normal();
    v[r * 5 + 4] = r % 97 === 5 ? Infinity : r % 89 === 3 ? -Infinity : rng.normal() * 1e5;
  }
  return v;
}

const COLUMNS = ['x', 'n', 'say "hi", ok', 'bébé', 'z'];

describe('numeric table writers (the sample path)', () => {
  test('AsciiBuffer.float32 writes formatFloat32 byte for byte', () => {
    const rng = new Rng(3);
    const bits = new Uint32Array(1);
    const asFloat = new Float32Array(bits.buffer);
    const values = [0, -0, 1, -1, 16777216, 16777217, 2 ** 30, 1e-6, 9.99e-7, 1e15, 123456.7, 0.1, NaN, Infinity, -Infinity];
    for (let i = 0; i < 20_000; i++) {
      bits[0] = rng.nextUint32();
      values.push(asFloat[0]!, rng.normal() * 10 ** (rng.int(40) - 20), Math.round(rng.normal() * 1000) / 8);
    }
    const out = new AsciiBuffer(8);
    for (const v of values) {
      out.float32(v);
      out.byte(10);
    }
    expect(Buffer.from(out.view()).toString('latin1')).toBe(values.map((v) => formatFloat32(v) + '\n').join(''));
  });

  test('CSV and JSON Lines are byte for byte what the row writers write at float32 precision', () => {
    const v = matrix(3000);
    const rows = Array.from({ length: 3000 }, (_, r) => ({ values: Array.from(v.subarray(r * 5, r * 5 + 5)) }));
    const csv = createTableWriter('csv', COLUMNS, { float32: true });
    const jsonl = createTableWriter('jsonl', COLUMNS, { float32: true });
    expect(Buffer.from(numericCsv(COLUMNS, v)).toString('utf8')).toBe(`${csv.header()}${csv.rows(rows)}`);
    expect(Buffer.from(numericJsonl(COLUMNS, v)).toString('utf8')).toBe(`${jsonl.rows(rows)}`);
  });

  test('parquet reads back (the repo reader) as the row writer\'s parquet does, integers as INT64, NaN as null', async () => {
    const n = 20_000;
    const v = matrix(n).map((x, i) => (i % 5 === 4 && !Number.isFinite(x) ? 0 : x));
    const integer = [false, true, false, false, false];
    const ours = await parquetRows(numericParquet(COLUMNS, v, { integer, rowGroupSize: 8_000 }));
    const w = createTableWriter('parquet', COLUMNS, {
      parquetTypes: COLUMNS.map(() => 'DOUBLE' as const),
      parquetSourceSchema: COLUMNS.map((name, j) =>
        (integer[j] ? { name, type: 'INT64' as const, repetition_type: 'OPTIONAL' as const } : undefined)),
    });
    const rows = Array.from({ length: n }, (_, r) => ({ values: Array.from(v.subarray(r * 5, r * 5 + 5), Math.fround) }));
    const theirs = await parquetRows(Buffer.concat([w.rows(rows) as Uint8Array, w.end() as Uint8Array]));
    expect(ours.columns).toEqual(COLUMNS);
    expect(ours.cells.length).toBe(n);
    expect(ours.cells).toEqual(theirs.cells);
    expect(ours.values).toEqual(theirs.values);
    expect(typeof ours.values[0]![1]).toBe('bigint');
    expect(ours.values.filter((r) => r[3] === null).length).toBeGreaterThan(n * 0.05);
  });

  test('a non-integer value in an INT64 column throws OutputSchemaError naming column and row', () => {
    expect(() => numericParquet(['a', 'b'], [1, 2, 3, 4.5], { integer: [false, true] })).toThrow(OutputSchemaError);
    expect(() => numericParquet(['a', 'b'], [1, 2, 3, 4.5], { integer: [false, true] })).toThrow(/column 'b' .* row 2/);
  });

  test('encodeSamples: integer and discrete columns stay integers in every format, gzip too', async () => {
    const spec = {
      rows_used: 2,
      columns: [
        { name: 'k', kind: 'discrete' as const, values: [1, 3] },
        { name: 'c', kind: 'continuous' as const, integer: false },
      ],
    } as unknown as Parameters<typeof encodeSamples>[4];
    const values = Float64Array.from([3, 0.30000000000000004, 1, -2.0000001]);
    expect(Buffer.from(encodeSamples('csv', false, ['k', 'c'], values, spec)).toString()).toBe('k,c\n3,0.3\n1,-2\n');
    expect(gunzipSync(encodeSamples('jsonl', true, ['k', 'c'], values, spec)).toString()).toBe('{"k":3,"c":0.3}\n{"k":1,"c":-2}\n');
    const back = await parquetRows(encodeSamples('parquet', false, ['k', 'c'], values, spec));
    expect(back.values).toEqual([[3n, Math.fround(0.30000000000000004)], [1n, Math.fround(-2.0000001)]]);
  });
});
