import { extractFeatures, readTable, type TableFormat } from '../../core/io';
import { readParquetBytes, writeParquet } from './io-helpers';

async function rejectedOf(text: string, format: TableFormat): Promise<{ kept: number; reasons: string[] }> {
  let kept = 0;
  const reasons: string[] = [];
  for await (const chunk of readTable((async function* () { yield Buffer.from(text); })(), { format })) {
    const batch = extractFeatures(chunk, [0, 1]);
    kept += batch.keep.length;
    reasons.push(...chunk.rejected.map((r) => r.reason), ...batch.rejected.map((r) => r.reason));
  }
  return { kept, reasons };
}

describe('values outside the float32 range are rejected rows (issue 10 item 2)', () => {
  test.each(['1e39', '3.5e38', '1e999', '-1e39'])('CSV cell %s is rejected with VALUE_OUT_OF_RANGE naming the column', async (v) => {
    const { kept, reasons } = await rejectedOf(`a,b\n1,2\n${v},3\n4,5\n`, 'csv');
    expect(kept).toBe(2);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toContain('VALUE_OUT_OF_RANGE');
    expect(reasons[0]).toContain("'a'");
    expect(reasons[0]).not.toContain(v.replace('-', ''));
  });

  test('CSV cell 1e39 in a quoted row is rejected too', async () => {
    const { kept, reasons } = await rejectedOf('a,b\n"x",2\n1,"1e39"\n', 'csv');
    expect(kept).toBe(0);
    expect(reasons.filter((r) => r.includes('VALUE_OUT_OF_RANGE'))).toHaveLength(1);
  });

  test('a finite 1e30 next to a missing cell is kept: it is a float32', async () => {
    const { kept, reasons } = await rejectedOf('a,b\n1e30,\n', 'csv');
    expect(reasons).toEqual([]);
    expect(kept).toBe(1);
  });

  test.each(['1e39', '1e999', '-1e999'])('JSONL value %s is rejected, not read as a missing cell', async (v) => {
    const { kept, reasons } = await rejectedOf(`{"a":1,"b":2}\n{"a":${v},"b":3}\n`, 'jsonl');
    expect(kept).toBe(1);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toContain('VALUE_OUT_OF_RANGE');
    expect(reasons[0]).toContain("'a'");
  });

  test.each([1e39, Infinity, -Infinity])('parquet DOUBLE value %p is rejected with VALUE_OUT_OF_RANGE', async (v) => {
    const bytes = writeParquet([
      { name: 'a', data: Float64Array.from([1, v, 3]), type: 'DOUBLE' },
      { name: 'b', data: Float64Array.from([1, 2, 3]), type: 'DOUBLE' },
    ]);
    const read = await readParquetBytes(bytes);
    const batch = extractFeatures({ columns: read.columns, rows: read.rows, rejected: [] }, [0, 1]);
    expect(batch.keep.map((r) => r.line)).toEqual([1, 3]);
    expect(batch.rejected).toHaveLength(1);
    expect(batch.rejected[0].reason).toContain('VALUE_OUT_OF_RANGE');
  });
});
