// Issue 12.5: the state flow around one object (read → peek → decide → score → conditional write) on real CSV
// tables and the file store. The "scorer" here is a stand-in whose state is the list of times scored so far.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readTable, type TableChunk } from '../../core/io';
import { FileObjectStore } from '../../storage/adapters/file-object-store';
import { parseIncomingKey } from '../../functions/services/object-keys';
import { scoreWithSeriesState } from '../../functions/services/score-with-series-state';

interface Times { times: number[] }
const isTimes = (v: unknown): v is Times => typeof v === 'object' && v !== null && Array.isArray((v as Times).times);

let dir: string;
let store: FileObjectStore;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'residual-score-series-'));
  store = new FileObjectStore(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Scores a CSV `t,a` object; the output is every time in the state it resumed from plus its own. */
async function run(key: string, times: number[], versionId?: string): Promise<{ status: string; result?: number[]; seriesState: unknown }> {
  const csv = 't,a\n' + times.map((t) => `${t},1`).join('\n') + '\n';
  const chunks = readTable(Readable.from([Buffer.from(csv)]), { format: 'csv', chunkRows: 2 });
  return scoreWithSeriesState<Times, number[]>({
    store, resultsBucket: 'results', incoming: parseIncomingKey(key)!, versionId, model: { name: 'plant', version: 'v1' },
    chunks,
    timeOf: (row, columns) => Number(row.cells[columns.indexOf('t')]),
    isState: isTimes,
    score: async (input: AsyncIterable<TableChunk>, from) => {
      const seen: number[] = [];
      for await (const c of input) seen.push(...c.rows.map((r) => Number(r.cells[0])));
      const all = [...(from?.times ?? []), ...seen];
      return { result: all, state: { times: all }, lastTimeMs: seen.length ? seen[seen.length - 1]! : null };
    },
  });
}

describe('scoreWithSeriesState', () => {
  test('a series in three objects gives the scores of the series at once; redelivery and late objects change nothing', async () => {
    expect(await run('incoming/plant/pump/01.csv', [1, 2, 3])).toMatchObject({ result: [1, 2, 3], seriesState: { reason: 'NO_STATE' } });
    expect((await run('incoming/plant/pump/02.csv', [4, 5])).result).toEqual([1, 2, 3, 4, 5]);
    const third = await run('incoming/plant/pump/03.csv', [6, 7, 8]);
    const resumed = { use: 'resume', updates_state: true };
    expect(third).toMatchObject({ status: 'scored', result: [1, 2, 3, 4, 5, 6, 7, 8], seriesState: resumed });
    const again = await run('incoming/plant/pump/03.csv', [6, 7, 8]);
    const replayed = { use: 'replay', updates_state: false };
    expect(again).toMatchObject({ result: third.status === 'scored' ? third.result : null, seriesState: replayed });
    expect(await run('incoming/plant/pump/02.csv', [4, 5])).toMatchObject({ status: 'skipped', seriesState: { reason: 'ALREADY_SCORED' } });
    // a late object (times before the state's last) is scored fresh and leaves the state alone
    expect(await run('incoming/plant/pump/00.csv', [-2, -1])).toMatchObject({ result: [-2, -1], seriesState: { reason: 'OUT_OF_ORDER' } });
    expect((await run('incoming/plant/pump/04.csv', [9])).result).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await readdir(join(dir, 'results', 'state', 'plant', 'v1'))).toEqual(['pump.json']);
  });

  test('an object outside a series is scored fresh and writes no state', async () => {
    expect(await run('incoming/plant/day.csv', [1])).toEqual({ status: 'scored', result: [1], seriesState: null });
    expect(await readdir(join(dir, 'results', 'state', 'plant', 'v1'))).toEqual(['pump.json']);
  });

  test('versions name objects: a rewritten key with later rows resumes', async () => {
    expect((await run('incoming/plant/fan/x.csv', [1], 'a')).result).toEqual([1]);
    expect((await run('incoming/plant/fan/x.csv', [2], 'b')).result).toEqual([1, 2]);
  });
});
