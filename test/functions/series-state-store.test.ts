// Issue 12.5: the Lambda's per-series state in the results bucket, on moto's S3 (real conditional writes)
// and on the file store. The state here is a stand-in (the rows scored into it), read and written exactly as
// the scoring function does: load → decide → score from `decision.from` → save.
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readTable } from '../../core/io';
import type { SeriesObject } from '../../core/series/state-decision';
import { FileObjectStore } from '../../storage/adapters/file-object-store';
import { createS3Client } from '../../storage/adapters/s3-client';
import { S3ObjectStore } from '../../storage/adapters/s3-object-store';
import { PreconditionFailedError } from '../../storage/errors';
import type { ObjectStore } from '../../storage/object-store';
import { parseIncomingKey } from '../../functions/services/object-keys';
import { peekFirstRow } from '../../functions/services/peek-first-row';
import {
  loadSeriesState, saveSeriesState, seriesOf, seriesStateKey, seriesStateSummary,
} from '../../functions/services/series-state-store';
import { motoAvailable, startMoto, type MotoServer } from '../e2e/moto-server';

interface ToyState { rows: number[] }
const isToy = (v: unknown): v is ToyState => typeof v === 'object' && v !== null && Array.isArray((v as ToyState).rows);
const model = { name: 'plant', version: 'v3' };
const BUCKET = 'results';

/** Scores one object: its rows appended to the state it is scored from; returns the "output" and the summary. */
async function scoreObject(store: ObjectStore, series: string, o: SeriesObject, rows: number[]) {
  const loaded = await loadSeriesState(store, { bucket: BUCKET, model, series }, o, isToy);
  const output = [...(loaded.decision.from?.rows ?? []), ...rows];
  const summary = seriesStateSummary(loaded);
  if (loaded.decision.use !== 'skip') await saveSeriesState(store, loaded, o, { rows: output });
  return { output, summary };
}
const obj = (key: string, first: number, last: number): SeriesObject => ({ key, version: null, first_time_ms: first, last_time_ms: last });
const stored = async (store: ObjectStore, series: string) => {
  const got = await store.getTagged({ bucket: BUCKET, key: seriesStateKey(model.name, model.version, series) });
  return got && JSON.parse(new TextDecoder().decode(got.bytes));
};

function suite(name: string, setup: () => Promise<ObjectStore>) {
  describe(`series state on ${name}`, () => {
    let store: ObjectStore;
    beforeAll(async () => void (store = await setup()), 60_000);

    test('objects in order carry the state; a redelivery gives the same output and leaves the state as after the first', async () => {
      const a = obj('incoming/plant/s1/01.csv', 0, 1);
      const b = obj('incoming/plant/s1/02.csv', 2, 3);
      expect((await scoreObject(store, 's1', a, [0, 1])).summary).toMatchObject({ use: 'fresh', reason: 'NO_STATE', updates_state: true });
      const first = await scoreObject(store, 's1', b, [2, 3]);
      expect(first.output).toEqual([0, 1, 2, 3]);
      const after = await stored(store, 's1');
      const again = await scoreObject(store, 's1', b, [2, 3]);
      expect(again.output).toEqual(first.output);
      expect(again.summary).toMatchObject({ use: 'replay', reason: 'REDELIVERED', updates_state: false });
      expect(await stored(store, 's1')).toEqual(after);
      expect(after).toMatchObject({ schema: 1, model, series: 's1', state: { rows: [0, 1, 2, 3] }, previous: { rows: [0, 1] } });
    });

    test('an object older than the state is scored fresh and leaves the state alone', async () => {
      await scoreObject(store, 's2', obj('incoming/plant/s2/05.csv', 50, 59), [5]);
      const before = await stored(store, 's2');
      const late = await scoreObject(store, 's2', obj('incoming/plant/s2/04.csv', 40, 49), [4]);
      const summary = expect.objectContaining({ use: 'fresh', reason: 'OUT_OF_ORDER', updates_state: false });
      expect(late).toEqual({ output: [4], summary });
      expect(await stored(store, 's2')).toEqual(before);
    });

    test('two objects of one series scored at once: one write wins, the other fails retryably and its retry resumes', async () => {
      await scoreObject(store, 's3', obj('incoming/plant/s3/01.csv', 0, 9), [1]);
      const b = obj('incoming/plant/s3/02.csv', 10, 19);
      const c = obj('incoming/plant/s3/03.csv', 20, 29);
      const [lb, lc] = await Promise.all([b, c].map((o) => loadSeriesState(store, { bucket: BUCKET, model, series: 's3' }, o, isToy)));
      await saveSeriesState(store, lb!, b, { rows: [1, 2] });
      const lost = await saveSeriesState(store, lc!, c, { rows: [1, 3] }).catch((e: unknown) => e);
      expect(lost).toBeInstanceOf(PreconditionFailedError);
      expect((lost as PreconditionFailedError).retryable).toBe(true);
      expect((await stored(store, 's3')).state).toEqual({ rows: [1, 2] });
      // the retry (SQS redelivery) reads the newer state
      expect((await scoreObject(store, 's3', c, [3])).output).toEqual([1, 2, 3]);
      // two first objects racing to create the state: one creates it, the other loses
      const [x, y] = [obj('incoming/plant/s4/01.csv', 0, 9), obj('incoming/plant/s4/02.csv', 10, 19)];
      const [lx, ly] = await Promise.all([x, y].map((o) => loadSeriesState(store, { bucket: BUCKET, model, series: 's4' }, o, isToy)));
      await saveSeriesState(store, lx!, x, { rows: [1] });
      await expect(saveSeriesState(store, ly!, y, { rows: [2] })).rejects.toBeInstanceOf(PreconditionFailedError);
    });

    test('a stored object that is not a state of this model version is reported and replaced', async () => {
      const key = seriesStateKey(model.name, model.version, 's5');
      await store.put({ bucket: BUCKET, key }, '{"schema":1,"state":');
      const r = await scoreObject(store, 's5', obj('incoming/plant/s5/01.csv', 0, 9), [7]);
      const summary = expect.objectContaining({ use: 'fresh', reason: 'STATE_UNREADABLE', updates_state: true });
      expect(r).toEqual({ output: [7], summary });
      expect((await stored(store, 's5')).state).toEqual({ rows: [7] });
    });
  });
}

let dir: string;
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'residual-series-state-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));

suite('the file store', async () => new FileObjectStore(dir));

describe('moto', () => {
  let moto: MotoServer;
  let client: S3Client;
  afterAll(async () => {
    client?.destroy();
    await moto?.stop();
  });
  suite('moto S3', async () => {
    if (!motoAvailable()) throw new Error("moto is not installed: pip install 'moto[server]' (python3 -m moto.server)");
    moto = await startMoto();
    client = createS3Client({ endpoint: moto.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    return new S3ObjectStore(client);
  });
});

describe('keys', () => {
  test('the series is the first folder below incoming/<model>/; the state key is versioned with the model', () => {
    expect(seriesOf(parseIncomingKey('incoming/plant/pump-7/2026-12-02T01.csv')!)).toBe('pump-7');
    expect(seriesOf(parseIncomingKey('incoming/plant/pump-7/a/b.csv')!)).toBe('pump-7');
    expect(seriesOf(parseIncomingKey('incoming/plant/day1.csv')!)).toBeNull();
    expect(seriesStateKey('plant', 'v3', 'pump-7')).toBe('state/plant/v3/pump-7.json');
  });
});

describe('peekFirstRow', () => {
  const table = (text: string) => readTable(Readable.from([Buffer.from(text)]), { format: 'csv', chunkRows: 2 });
  test('gives the first row and then every chunk from the start', async () => {
    const { first, chunks } = await peekFirstRow(table('t,a\nbad\n1,1\n2,2\n3,3\n'));
    expect(first!.row.cells).toEqual(['1', '1']);
    const rows: string[] = [];
    let rejected = 0;
    for await (const c of chunks) {
      rows.push(...c.rows.map((r) => r.cells[0]!));
      rejected += c.rejected.length;
    }
    expect({ rows, rejected }).toEqual({ rows: ['1', '2', '3'], rejected: 1 });
  });
  test('a table without rows has no first row and still yields its chunks', async () => {
    const { first, chunks } = await peekFirstRow(table('t,a\n'));
    expect(first).toBeNull();
    for await (const c of chunks) expect(c.rows).toHaveLength(0);
  });
});
