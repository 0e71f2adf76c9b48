import { extractFeatures, readTable, type TableFormat } from '../../core/io';
import { bufferSource, writeParquet } from './io-helpers';
import { readParquetTable } from '../../core/io';

const CANARY = '31337.4242';

/** Every message the read produces: the thrown error's, and every rejection reason (reader and features). */
async function messages(chunks: AsyncIterable<import('../../core/io').TableChunk>): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const chunk of chunks) {
      out.push(...chunk.rejected.map((r) => r.reason));
      const batch = extractFeatures(chunk, chunk.columns.map((_, j) => j));
      out.push(...batch.rejected.map((r) => r.reason));
    }
  } catch (error) {
    out.push((error as Error).message);
  }
  return out;
}

function text(data: string, format: TableFormat): AsyncIterable<import('../../core/io').TableChunk> {
  return readTable((async function* () { yield Buffer.from(data); })(), { format });
}

describe('no data value in any message (issue 10 item 19)', () => {
  test('a headerless CSV whose first row repeats a value: the duplicate-name error names positions, not the value', async () => {
    const got = await messages(text(`${CANARY},${CANARY},1\n2,3,4\n`, 'csv'));
    expect(got).toEqual(['header columns 1 and 2 have the same name']);
  });

  test('a headerless CSV: rejections name the column by position, not by the data value read as its name', async () => {
    const got = await messages(text(`${CANARY},7\nx,1\n1e39,2\n`, 'csv'));
    expect(got).toHaveLength(2);
    for (const m of got) expect(m).not.toContain(CANARY);
    expect(got[0]).toContain('column 1');
  });

  test('CSV rejections with the canary in bad cells never print it', async () => {
    const got = await messages(text(`a,b\n${CANARY}x,1\n"${CANARY}"x,2\n${CANARY},1,2\n1e39${CANARY.slice(0, 2)},1\n`, 'csv'));
    expect(got.length).toBeGreaterThanOrEqual(3);
    for (const m of got) expect(m).not.toContain(CANARY);
  });

  test('JSONL: keys that are numbers and bad values never reach a message', async () => {
    const got = await messages(text(`{"${CANARY}":"${CANARY}x","b":1}\n[${CANARY}]\n${CANARY}\n{"${CANARY}":1e999,"b":2}\n`, 'jsonl'));
    expect(got.length).toBeGreaterThanOrEqual(3);
    for (const m of got) expect(m).not.toContain(CANARY);
  });

  test('parquet: a column named by a number and non-numeric values never reach a message', async () => {
    const bytes = writeParquet([
      { name: CANARY, data: [`${CANARY}x`, '1'], type: 'STRING' },
      { name: 'b', data: Float64Array.from([1, Infinity]), type: 'DOUBLE' },
    ]);
    const got = await messages(readParquetTable(bufferSource(bytes)));
    expect(got).toHaveLength(2);
    for (const m of got) expect(m).not.toContain(CANARY);
  });
});
