import { createTableWriter, extractFeatures, readTable, type TableChunk } from '../../core/io';

async function chunksOf(text: string, chunkRows?: number): Promise<TableChunk[]> {
  const out: TableChunk[] = [];
  for await (const c of readTable((async function* () { yield Buffer.from(text); })(), { format: 'jsonl', chunkRows })) out.push(c);
  return out;
}

describe('JSONL columns are not fixed by the first object (issue 10 item 6)', () => {
  test('a first object lacking a feature key gives a missing cell, not a file without that column', async () => {
    const [chunk] = await chunksOf('{"a":1}\n{"a":2,"b":3}\n{"b":4,"a":5}\n');
    expect(chunk.columns).toEqual(['a', 'b']);
    const batch = extractFeatures(chunk, [0, 1]);
    expect(batch.keep).toHaveLength(3);
    expect(Array.from(batch.mask)).toEqual([1, 0, 1, 1, 1, 1]);
    expect(Array.from(batch.x)).toEqual([1, NaN, 2, 3, 5, 4]);
  });

  test('a later row carrying anomaly_score gets the key once in the output, its other bytes unchanged', async () => {
    const text = '{"a":1}\n{"a":2}\n{"a":1.50,"anomaly_score":"x","n":12345678901234567890}\n{"anomaly_score":7, "a":3}\n';
    const chunks = await chunksOf(text, 2);
    const columns = [...chunks[0].columns, 'anomaly_score', 'is_anomaly'];
    const writer = createTableWriter('jsonl', columns, { sourceFormat: 'jsonl' });
    let out = '';
    for (const c of chunks) out += writer.rows(c.rows.map((source) => ({ source, values: [0.25, 1] })));
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line.match(/"anomaly_score"/g)).toHaveLength(1);
    expect(lines[2]).toBe('{"a":1.50,"n":12345678901234567890,"anomaly_score":0.25,"is_anomaly":1}');
    expect(lines[3]).toBe('{"a":3,"anomaly_score":0.25,"is_anomaly":1}');
  });
});
