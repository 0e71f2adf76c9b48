import { DeleteObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { createOnnxScorer } from '../../scoring/adapters/onnx-scorer';
import { createS3Client } from '../../storage/adapters/s3-client';
import { createS3ObjectStore } from '../../storage/adapters/s3-object-store';
import { createHandler } from '../../functions/handlers/score';
import { ModelRepository } from '../../storage/artifact/model-repository';
import { quietLogger, quietMetrics } from '../../cli/demo/quiet-telemetry';
import { MODELS, publishModel, RESULTS, startLocalPipeline, type LocalPipeline } from '../e2e/local-pipeline';
import { startFaultProxy, type FaultProxy, type FaultRule } from '../e2e/fault-proxy';

// The real handler against s3rver through a loopback proxy that injects transport faults. Each input's
// output is ~6 MB, so it is written as a two-part multipart upload (parts of 5 MiB, S3's minimum).
const ROWS = 300_000;
const INPUT = 'ts,a,b\n' + Array.from({ length: ROWS }, (_, i) => `t${i},${i % 10},${(i * 7) % 10}`).join('\n') + '\n';

let p: LocalPipeline;
let proxy: FaultProxy;
let client: S3Client;
let handler: ReturnType<typeof createHandler>;
let clean: Map<string, string>;
let cleanMs: number;

const sqs = (key: string): SQSEvent => ({
  Records: [{
    messageId: 'm0',
    eventSource: 'aws:sqs',
    body: JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: RESULTS }, object: { key } } }] }),
  } as SQSEvent['Records'][number]],
});

/** Everything under results/plant/v1/<name>: relative key → text (the summary without its timings and input). */
async function outputsOf(name: string): Promise<Map<string, string>> {
  const prefix = `results/plant/v1/${name}`;
  const listed = await client.send(new ListObjectsV2Command({ Bucket: RESULTS, Prefix: prefix }));
  const out = new Map<string, string>();
  for (const { Key } of listed.Contents ?? []) {
    let text = await p.text(RESULTS, Key!);
    if (Key!.endsWith('.summary.json')) {
      const { timings: _t, input: _i, output: _o, ...rest } = JSON.parse(text) as Record<string, unknown>;
      text = JSON.stringify(rest);
    }
    out.set(Key!.slice(prefix.length), text);
  }
  return out;
}

async function put(name: string): Promise<string> {
  const key = `incoming/plant/${name}.csv`;
  await p.store.put({ bucket: RESULTS, key }, INPUT);
  return key;
}

/** A faulted delivery: the record fails (SQS retries it) and nothing is left under results/; the retry matches a clean run. */
async function faultThenRetry(name: string, rules: FaultRule[], context?: { getRemainingTimeInMillis(): number }) {
  const key = await put(name);
  proxy.setRules(rules);
  const first = proxy.log.length;
  expect(await handler(sqs(key), context)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm0' }] });
  const faults = proxy.log.slice(first).filter((l) => l.fault !== undefined);
  expect(faults.length).toBeGreaterThan(0);
  proxy.setRules([]);
  proxy.release();
  // an aborted multipart upload may finish aborting after the handler returned (a part still in flight)
  for (let i = 0; i < 100 && proxy.log.slice(first).some((l) => /^PUT .*partNumber=/.test(l.request)) &&
    !proxy.log.slice(first).some((l) => /^DELETE .*uploadId=/.test(l.request)); i++) await new Promise((r) => setTimeout(r, 100));
  expect([...(await outputsOf(name)).keys()]).toEqual([]);
  const faulted = proxy.log.slice(first);
  expect(await handler(sqs(key))).toEqual({ batchItemFailures: [] });
  expect(await outputsOf(name)).toEqual(clean);
  return faulted;
}

beforeAll(async () => {
  p = await startLocalPipeline();
  await publishModel(p.store, { name: 'plant', version: 'v1', features: ['a', 'b'], threshold: 10 });
  proxy = await startFaultProxy(p.s3.endpoint);
  client = createS3Client({ endpoint: p.s3.endpoint });
  const store = createS3ObjectStore({ endpoint: proxy.endpoint, maxAttempts: 2, partSize: 5 << 20 });
  const models = new ModelRepository({ store: p.store, bucket: MODELS, createScorer: (b, m) => createOnnxScorer(b, m) });
  handler = createHandler({ store, models, resultsBucket: RESULTS }, quietLogger(), quietMetrics(), { deadlineMarginMs: 0 });
  const key = await put('clean');
  const started = Date.now();
  expect(await handler(sqs(key))).toEqual({ batchItemFailures: [] });
  cleanMs = Date.now() - started;
  clean = await outputsOf('clean');
  console.info(`clean run: ${cleanMs} ms`);
  expect([...clean.keys()].sort()).toEqual(['.csv', '.csv.summary.json']);
  expect(clean.get('.csv')!.length).toBeGreaterThan(5 << 20);
  await client.send(new DeleteObjectCommand({ Bucket: RESULTS, Key: key }));
}, 240_000);
afterAll(async () => {
  await proxy?.close();
  client?.destroy();
  await p?.close();
});

test('an S3 GET that fails mid-stream fails the record, leaves nothing under results/, and the retry matches a clean run', async () => {
  await faultThenRetry('get-cut', [{ method: 'GET', path: /get-cut\.csv/, fault: { kind: 'cut-response' }, times: 1 }]);
}, 240_000);

test('an upload part that keeps failing aborts the multipart upload, fails the record, and the retry matches', async () => {
  const rule: FaultRule = { method: 'PUT', path: /part-fails\.csv\?.*partNumber=2/, fault: { kind: 'internal-error' } };
  const log = await faultThenRetry('part-fails', [rule]);
  expect(log.some((l) => /^DELETE .*part-fails\.csv\?.*uploadId=/.test(l.request))).toBe(true);
  expect(log.some((l) => /^POST .*part-fails\.csv\?.*uploadId=/.test(l.request))).toBe(false);
}, 240_000);

test('a burst of 503 SlowDown longer than the retries fails the record, and the retry matches', async () => {
  const log = await faultThenRetry('throttled', [{ path: /throttled\.csv\?.*uploadId=/, fault: { kind: 'slow-down' }, times: 4 }]);
  expect(log.filter((l) => l.fault === 'slow-down')).toHaveLength(4);
}, 240_000);

test('the Lambda deadline passing during the write aborts the upload, fails the record, and the retry matches', async () => {
  // part 1 is held by the proxy until the handler has returned; the deadline (1.5 times the clean run's
  // duration, plus 2 s) passes while it is held, whatever the machine's load
  const rule: FaultRule = { method: 'PUT', path: /deadline\.csv\?.*partNumber=1/, fault: { kind: 'hold' }, times: 1 };
  const log = await faultThenRetry('deadline', [rule], { getRemainingTimeInMillis: () => 1.5 * cleanMs + 2000 });
  expect(log.some((l) => /^PUT .*deadline\.csv\?.*partNumber=1/.test(l.request))).toBe(true);
  expect(log.some((l) => /^POST .*deadline\.csv\?.*uploadId=/.test(l.request) && !/uploads/.test(l.request))).toBe(false);
}, 240_000);
