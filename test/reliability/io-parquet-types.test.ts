import { parquetMetadata } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { readParquetTable, type TableChunk } from '../../core/io';
import { RawTimestamp } from '../../core/io/raw-timestamp';
import { createOutputEncoder } from '../../scoring/output-encoder';
import { bufferSource } from './io-helpers';

const N = 40;
const MICROS = Array.from({ length: N }, (_, i) => 1_700_000_000_123_456n + BigInt(i));
const BIG = Array.from({ length: N }, (_, i) => 9_007_199_254_740_993n + BigInt(i)); // above 2^53: a double would round it

/** timestamp[us], int64, float32, a repetitive (dictionary-encoded) string column and a double feature. */
function input(): Uint8Array {
  const opt = 'OPTIONAL' as const;
  const schema = [
    { name: 'root', num_children: 5 },
    {
      name: 'ts', type: 'INT64', repetition_type: opt, converted_type: 'TIMESTAMP_MICROS',
      logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
    },
    { name: 'id', type: 'INT64', repetition_type: opt },
    { name: 'f32', type: 'FLOAT', repetition_type: opt },
    { name: 'tag', type: 'BYTE_ARRAY', repetition_type: opt, converted_type: 'UTF8', logical_type: { type: 'STRING' } },
    { name: 'x', type: 'DOUBLE', repetition_type: opt },
  ];
  const columnData = [
    { name: 'ts', data: MICROS },
    { name: 'id', data: BIG },
    { name: 'f32', data: Float32Array.from({ length: N }, (_, i) => i + 0.1) },
    { name: 'tag', data: Array.from({ length: N }, (_, i) => (i % 2 ? 'odd' : 'even')) },
    { name: 'x', data: Float64Array.from({ length: N }, (_, i) => i) },
  ];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return new Uint8Array(parquetWriteBuffer({ columnData, schema } as any));
}

async function scoreThrough(bytes: Uint8Array, replace: boolean): Promise<Uint8Array> {
  const encoder = createOutputEncoder('parquet', 'parquet');
  const parts: Uint8Array[] = [];
  for await (const chunk of readParquetTable(bufferSource(bytes))) {
    const c = chunk as TableChunk;
    const rows = c.rows.map((source, r) => ({
      source,
      cells: replace && r % 2 ? [...source.cells.slice(0, 4), 0.5] : undefined,
      extra: [0.25 * r, r % 2, r % 2 ? 'x' : null, r % 2 ? '0.5' : null],
    }));
    const extraColumns = ['anomaly_score', 'is_anomaly', 'top_features', 'top_errors'];
    parts.push(encoder.batch({ columns: c.columns, featureColumns: [4], extraColumns, rows }) as Uint8Array);
  }
  parts.push(encoder.end() as Uint8Array);
  return Buffer.concat(parts);
}

describe('parquet in, parquet out keeps every column type (issue 10 item 5)', () => {
  const cases: [string, boolean][] = [['passed through', false], ['with replaced cells (impute/denoise)', true]];
  test.each(cases)('rows %s keep each input column\'s physical and logical type', async (_what, replace) => {
    const out = await scoreThrough(input(), replace);
    const meta = parquetMetadata(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer);
    const el = Object.fromEntries(meta.schema.slice(1).map((e) => [e.name, e]));
    expect(el.ts).toMatchObject({ type: 'INT64', logical_type: { type: 'TIMESTAMP', unit: 'MICROS' } });
    expect(el.id.type).toBe('INT64');
    expect(el.f32.type).toBe('FLOAT');
    expect(el.tag).toMatchObject({ type: 'BYTE_ARRAY', converted_type: 'UTF8' });
    expect(el.x.type).toBe('DOUBLE');
    expect(el.anomaly_score.type).toBe('DOUBLE');
    expect(el.is_anomaly).toMatchObject({ type: 'INT32', converted_type: 'INT_8' });
    expect(el.top_features).toMatchObject({ type: 'BYTE_ARRAY', converted_type: 'UTF8' });
    expect(el.top_errors).toMatchObject({ type: 'BYTE_ARRAY', converted_type: 'UTF8' });
    const tag = meta.row_groups[0].columns[3].meta_data!;
    expect(tag.encodings.some((e) => e.includes('DICTIONARY'))).toBe(true);
    const values: unknown[][] = [];
    for await (const c of readParquetTable(bufferSource(out))) {
      for (const r of c.rows) values.push([...(r as unknown as { values: unknown[] }).values]);
    }
    expect(values).toHaveLength(N);
    expect(values.map((v) => (v[0] as RawTimestamp).raw)).toEqual(MICROS);
    expect(values.map((v) => v[1])).toEqual(BIG);
    expect(values[3][2]).toBe(Math.fround(3.1));
    expect(values[3][4]).toBe(replace ? 0.5 : 3);
    expect(values[3].slice(5)).toEqual([0.75, 1, 'x', '0.5']);
  });
});
