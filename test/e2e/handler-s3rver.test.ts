import { gunzipSync, gzipSync } from 'node:zlib';
import type { SQSEvent } from 'aws-lambda';
import { createOnnxScorer } from '../../scoring/adapters/onnx-scorer';
import { createS3Client } from '../../storage/adapters/s3-client';
import { S3ObjectStore } from '../../storage/adapters/s3-object-store';
import { createHandler } from '../../functions/handlers/score';
import { ModelRepository } from '../../storage/artifact/model-repository';
import { quietLogger, quietMetrics } from '../../cli/demo/quiet-telemetry';
import { createTableWriter, readParquetTable } from '../../core/io';
import { MODELS, publishModel, RESULTS, startLocalPipeline, type LocalPipeline } from './local-pipeline';
import { startThrottlingProxy } from './throttling-proxy';

const FEATURES = ['a', 'b', 'c'];
const CSV = 'ts,a,b,c\nt1,0,0,0\nt2,3,0,1\nt3,,2,0\nt4,1,oops,1\nt5,1,1,1\n';

let p: LocalPipeline;

beforeAll(async () => {
  // a 4 MiB decompression budget keeps the bomb test quick; the production default is 20 GiB plus a ratio guard
  p = await startLocalPipeline({ maxDecompressedBytes: 4 << 20 });
  await publishModel(p.store, { name: 'plant', version: 'v1', features: FEATURES, threshold: 2 });
  await publishModel(p.store, { name: 'plant', version: 'v2', features: FEATURES, threshold: 100 });
  await publishModel(p.store, { name: 'other', version: 'v1', features: ['x', 'y'] });
});
afterAll(() => p.close());

describe('the scoring handler on a local S3 server', () => {
  test('an object under incoming/<model>/ is scored into results/<model>/<version>/ with a summary and an error report', async () => {
    await p.upload('incoming/plant/day1.csv', CSV);
    const out = await p.text(RESULTS, 'results/plant/v2/day1.csv');
    expect(out.split('\n')[0]).toBe('ts,a,b,c,anomaly_score,anomaly_probability,is_anomaly,top_features,top_errors');
    expect(out.trimEnd().split('\n')).toHaveLength(5);
    const summary = JSON.parse(await p.text(RESULTS, 'results/plant/v2/day1.csv.summary.json'));
    expect(summary).toMatchObject({ rows_in: 5, rows_out: 4, rows_rejected: 1, model: { name: 'plant', version: 'v2' }, mode: 'detect' });
    expect(summary.rows_in).toBe(summary.rows_out + summary.rows_rejected);
    const errors = (await p.text(RESULTS, 'results/plant/v2/day1.csv.errors.ndjson')).trim().split('\n').map((l) => JSON.parse(l));
    expect(errors).toEqual([{ line: 5, reason: expect.stringContaining("column 'b'") }]);
  });

  test('an object whose every row is rejected is quarantined (over the 50 % rejection limit), with no results', async () => {
    const bad = 'ts,a,b,c\n' + Array.from({ length: 3000 }, (_, i) => `t${i},x,1,1`).join('\n') + '\n';
    await p.upload('incoming/plant/all-bad.csv', bad);
    const report = JSON.parse(await p.text(RESULTS, 'quarantine/plant/all-bad.csv.error.json'));
    expect(report).toMatchObject({ code: 'TOO_MANY_REJECTED', reason: expect.stringMatching(/^3000 of 3000 rows were rejected/) });
    for (const suffix of ['', '.errors.ndjson', '.summary.json'])
      expect(await p.exists(RESULTS, `results/plant/v2/all-bad.csv${suffix}`)).toBe(false);
  });

  test('keys with spaces, plus signs and unicode are decoded from the notification', async () => {
    await p.upload('incoming/plant/März 2026/a+b ü.csv', CSV);
    expect(await p.exists(RESULTS, 'results/plant/v2/März 2026/a+b ü.csv')).toBe(true);
  });

  test('the residual-model-version metadata picks a version other than LATEST', async () => {
    await p.upload('incoming/plant/pinned.csv', CSV, { 'residual-model-version': 'v1' });
    const summary = JSON.parse(await p.text(RESULTS, 'results/plant/v1/pinned.csv.summary.json'));
    expect(summary.model.version).toBe('v1');
    expect(summary.anomalies).toBe(1);
  });

  test('the residual-mode metadata selects imputation', async () => {
    await p.upload('incoming/plant/gaps.csv', 'ts,a,b,c\nt1,1,,3\n', { 'residual-mode': 'impute' });
    expect(await p.text(RESULTS, 'results/plant/v2/gaps.csv')).toBe('ts,a,b,c\nt1,1,0,3\n');
  });

  test('gzip CSV and JSON Lines inputs are scored', async () => {
    await p.upload('incoming/plant/zipped.csv.gz', gzipSync(CSV));
    const zipped = await p.store.getBytes({ bucket: RESULTS, key: 'results/plant/v2/zipped.csv.gz' });
    expect(gunzipSync(zipped).toString('utf8').trimEnd().split('\n')).toHaveLength(5);
    await p.upload('incoming/plant/lines.jsonl', '{"a":1,"b":2,"c":3}\n{"a":0,"b":0,"c":0,"note":"x"}\n');
    const rows = (await p.text(RESULTS, 'results/plant/v2/lines.jsonl')).trim().split('\n').map((l) => JSON.parse(l));
    expect(rows[1]).toMatchObject({ a: 0, note: 'x', anomaly_score: 0, is_anomaly: 0 });
  });

  test('a Parquet input is scored into a Parquet output with the appended columns', async () => {
    const writer = createTableWriter('parquet', ['ts', 'a', 'b', 'c']);
    const rows = [['t1', 0, 0, 0], ['t2', 3, 0, 1]].map((values) => ({ values }));
    const parts = [writer.header(), writer.rows(rows), writer.end()].filter((x): x is Uint8Array => x instanceof Uint8Array);
    await p.upload('incoming/plant/table.parquet', Buffer.concat(parts));
    const bytes = await p.store.getBytes({ bucket: RESULTS, key: 'results/plant/v2/table.parquet' });
    const file = { byteLength: bytes.length, slice: (s: number, e?: number) => bytes.slice(s, e).buffer as ArrayBuffer };
    const out = [];
    for await (const chunk of readParquetTable(file)) {
      expect(chunk.columns)
        .toEqual(['ts', 'a', 'b', 'c', 'anomaly_score', 'anomaly_probability', 'is_anomaly', 'top_features', 'top_errors']);
      out.push(...chunk.rows.map((r) => r.cells));
    }
    expect(out).toHaveLength(2);
    expect(Number(out[1]![4])).toBeCloseTo(10 / 3, 5);
    // top_errors in the Lambda's Parquet output: the named features' errors (x² for this model), summing to 3 × the score
    expect(String(out[1]![8]).split(';').map(Number).reduce((x, y) => x + y, 0)).toBeCloseTo(10, 4);
  });

  test('scoring the same object version twice gives byte-identical outputs at the same keys', async () => {
    await p.upload('incoming/plant/again.csv', CSV);
    const first = await p.text(RESULTS, 'results/plant/v2/again.csv');
    const firstErrors = await p.text(RESULTS, 'results/plant/v2/again.csv.errors.ndjson');
    await p.handler({
      Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'raw' }, object: { key: 'incoming/plant/again.csv' } } }],
    } as never);
    expect(await p.text(RESULTS, 'results/plant/v2/again.csv')).toBe(first);
    expect(await p.text(RESULTS, 'results/plant/v2/again.csv.errors.ndjson')).toBe(firstErrors);
  });

  test('keys outside incoming/ are ignored and nothing is written', async () => {
    await p.upload('elsewhere/plant/x.csv', CSV);
    expect(await p.exists(RESULTS, 'results/plant/v2/x.csv')).toBe(false);
    expect(await p.exists(RESULTS, 'quarantine/plant/x.csv')).toBe(false);
  });
});

describe('objects that cannot be processed go to quarantine/ with an .error.json', () => {
  const cases: [string, string, string | Uint8Array, string, RegExp][] = [
    ['an unknown model', 'incoming/nosuch/a.csv', CSV, 'UNKNOWN_MODEL', /nosuch/],
    ['a schema mismatch, naming the columns', 'incoming/other/a.csv', CSV, 'SCHEMA_MISMATCH', /missing column\(s\) 'x', 'y'/],
    ['a corrupt gzip', 'incoming/plant/bad.csv.gz', 'this is not gzip at all', 'CORRUPT_GZIP', /gzip/],
    ['an empty object', 'incoming/plant/empty.csv', '', 'EMPTY_OBJECT', /empty/],
    [
      'bytes that are not UTF-8',
      'incoming/plant/latin1.csv',
      Uint8Array.from([...Buffer.from('a,b,c\n'), 0xff, 0xfe, 0x31, 0x0a]),
      'NOT_UTF8',
      /UTF-8/,
    ],
    ['a line over 1 MB', 'incoming/plant/long.csv', `a,b,c\n${'9'.repeat(1_100_000)},1,2\n`, 'LINE_TOO_LONG', /longer than/],
    ['an unsupported extension', 'incoming/plant/notes.txt', 'hello', 'INVALID_INPUT', /extension/],
  ];
  test.each(cases)('%s', async (_name, key, body, code, reason) => {
    await p.upload(key, body);
    const qkey = key.replace(/^incoming\//, 'quarantine/');
    expect(await p.exists(RESULTS, qkey)).toBe(true);
    const report = JSON.parse(await p.text(RESULTS, `${qkey}.error.json`));
    expect(report.code).toBe(code);
    expect(report.reason).toMatch(reason);
    expect(report.input).toBe(`s3://raw/${key}`);
  });

  test('a decompression bomb is stopped and quarantined', async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from('a,b,c\n'), Buffer.alloc(32 << 20, '0,0,0\n')]));
    await p.upload('incoming/plant/bomb.csv.gz', bomb);
    const report = JSON.parse(await p.text(RESULTS, 'quarantine/plant/bomb.csv.gz.error.json'));
    expect(report.code).toBe('DECOMPRESSION_BOMB');
    expect(await p.exists(RESULTS, 'results/plant/v2/bomb.csv.gz')).toBe(false);
  });
});

describe('SQS delivery', () => {
  const sqs = (bodies: string[]): SQSEvent => ({
    Records: bodies.map((body, i) => ({ messageId: `m${i}`, body, eventSource: 'aws:sqs' }) as SQSEvent['Records'][number]),
  });
  const s3Body = (key: string) =>
    JSON.stringify({
      Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'raw' }, object: { key: encodeURIComponent(key) } } }],
    });

  test('messages carrying S3 and EventBridge events are processed and no failure is reported', async () => {
    await p.store.put({ bucket: 'raw', key: 'incoming/plant/q1.csv' }, CSV);
    await p.store.put({ bucket: 'raw', key: 'incoming/plant/q2.csv' }, CSV);
    const eventBridge = JSON.stringify({
      'detail-type': 'Object Created',
      detail: { bucket: { name: 'raw' }, object: { key: 'incoming/plant/q2.csv' } },
    });
    const res = await p.handler(sqs([s3Body('incoming/plant/q1.csv'), eventBridge, JSON.stringify({ Event: 's3:TestEvent' })]));
    expect(res).toEqual({ batchItemFailures: [] });
    expect(await p.exists(RESULTS, 'results/plant/v2/q1.csv')).toBe(true);
    expect(await p.exists(RESULTS, 'results/plant/v2/q2.csv')).toBe(true);
  });

  test('S3 throttling (503 SlowDown) is retried with backoff and the record then succeeds', async () => {
    const proxy = await startThrottlingProxy(p.s3.endpoint);
    try {
      const store = new S3ObjectStore(createS3Client({ endpoint: proxy.endpoint, maxAttempts: 4 }));
      const models = new ModelRepository({ store, bucket: MODELS, createScorer: (b, m) => createOnnxScorer(b, m) });
      const handler = createHandler({ store, models, resultsBucket: RESULTS }, quietLogger(), quietMetrics());
      await p.store.put({ bucket: 'raw', key: 'incoming/plant/slow.csv' }, CSV);
      proxy.throttleNext(3);
      const res = await handler(sqs([s3Body('incoming/plant/slow.csv')]));
      expect(res).toEqual({ batchItemFailures: [] });
      expect(proxy.throttled).toBe(3);
      expect(await p.exists(RESULTS, 'results/plant/v2/slow.csv')).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  test('a record whose storage keeps failing is reported as a batch item failure so SQS retries it', async () => {
    // a store pointed at a port where nothing listens: every attempt fails, the retries run out
    const dead = new S3ObjectStore(createS3Client({ endpoint: 'http://127.0.0.1:9', maxAttempts: 2 }));
    const models = new ModelRepository({ store: dead, bucket: MODELS, createScorer: (b, m) => createOnnxScorer(b, m) });
    const handler = createHandler({ store: dead, models, resultsBucket: RESULTS }, quietLogger(), quietMetrics());
    await p.store.put({ bucket: 'raw', key: 'incoming/plant/q3.csv' }, CSV);
    const res = await handler(sqs([s3Body('incoming/plant/q3.csv'), 'not json']));
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'm0' }] });
  });
});
