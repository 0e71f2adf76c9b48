import type { SQSEvent } from 'aws-lambda';
import { createHandler } from '../../functions/handlers/score';
import { createS3ObjectStore } from '../../storage/adapters/s3-object-store';
import { ModelRepository } from '../../storage/artifact/model-repository';
import { createOnnxScorer } from '../../scoring/adapters/onnx-scorer';
import { quietLogger, quietMetrics } from '../../cli/demo/quiet-telemetry';
import { startFaultProxy, type FaultProxy } from '../e2e/fault-proxy';
import { MODELS, publishModel, RAW, RESULTS, startLocalPipeline, type LocalPipeline } from '../e2e/local-pipeline';

// Issue 11.4: SQS batches go through Powertools' BatchProcessor. The real handler against s3rver, with a fault
// proxy that answers 500 to one object's GETs (the store makes one attempt): that message alone is reported.
let p: LocalPipeline;
let proxy: FaultProxy;
let handler: ReturnType<typeof createHandler>;

beforeAll(async () => {
  p = await startLocalPipeline();
  await publishModel(p.store, { name: 'plant', version: 'v1', features: ['a', 'b'] });
  proxy = await startFaultProxy(p.s3.endpoint);
  const store = createS3ObjectStore({ endpoint: proxy.endpoint, maxAttempts: 1 });
  const models = new ModelRepository({ store: p.store, bucket: MODELS, createScorer: (b, m) => createOnnxScorer(b, m) });
  handler = createHandler({ store, models, resultsBucket: RESULTS }, quietLogger(), quietMetrics(), { deadlineMarginMs: 0 });
}, 60_000);
afterAll(async () => {
  await proxy?.close();
  await p?.close();
});

const created = (key: string) => ({ eventName: 'ObjectCreated:Put', s3: { bucket: { name: RAW }, object: { key } } });
const body = (key: string) => JSON.stringify({ Records: [created(key)] });
const sqs = (bodies: string[]): SQSEvent => ({
  Records: bodies.map((b, i) => ({ messageId: `m${i}`, body: b, eventSource: 'aws:sqs' }) as SQSEvent['Records'][number]),
});
const failGetsOf = (name: string) =>
  proxy.setRules([{ method: 'GET', path: new RegExp(`/${name}\\.csv`), fault: { kind: 'internal-error' } }]);
// objects are written straight to s3rver (which also notifies the pipeline's own, separate handler)
const put = async (name: string) => {
  const key = `incoming/plant/${name}.csv`;
  await p.store.put({ bucket: RAW, key }, 'a,b\n1,1\n');
  return key;
};

test('a batch reports only the message that failed; the scored, the unreadable and the later ones are not failures', async () => {
  const keys = [await put('b-ok-1'), await put('b-broken'), await put('b-ok-2')];
  failGetsOf('b-broken');
  const res = await handler(sqs([body(keys[0]!), 'not json', body(keys[1]!), body(keys[2]!)]));
  proxy.setRules([]);
  expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
  expect(await p.exists(RESULTS, 'results/plant/v1/b-ok-1.csv.summary.json')).toBe(true);
  expect(await p.exists(RESULTS, 'results/plant/v1/b-ok-2.csv.summary.json')).toBe(true);
  expect(await p.exists(RESULTS, 'quarantine/plant/b-broken.csv.error.json')).toBe(false);
}, 30_000);

test('the messages of a batch are scored one after another, in order', async () => {
  const keys = [await put('b-order-1'), await put('b-order-2'), await put('b-order-3')];
  const first = proxy.log.length;
  expect(await handler(sqs(keys.map(body)))).toEqual({ batchItemFailures: [] });
  // every request for an object (its GET, its result's PUTs) ends before the next object's first request
  const log = proxy.log.slice(first).map((l) => l.request);
  const span = (name: string) => {
    const at = log.flatMap((r, i) => (r.includes(`/${name}.csv`) ? [i] : []));
    return [Math.min(...at), Math.max(...at)] as const;
  };
  const [a, b, c] = ['b-order-1', 'b-order-2', 'b-order-3'].map(span);
  expect(a![0]).toBeLessThanOrEqual(a![1]);
  expect(a![1]).toBeLessThan(b![0]);
  expect(b![1]).toBeLessThan(c![0]);
}, 30_000);

test('a batch whose every message fails is answered with all of them, not thrown (FullBatchFailureError)', async () => {
  const keys = [await put('b-all-1'), await put('b-all-2')];
  proxy.setRules([{ method: 'GET', path: /\/b-all-\d\.csv/, fault: { kind: 'internal-error' } }]);
  const res = await handler(sqs(keys.map(body)));
  proxy.setRules([]);
  expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'm0' }, { itemIdentifier: 'm1' }] });
}, 30_000);

test('a direct S3 event whose object fails transiently is thrown (no SQS to report it to)', async () => {
  const key = await put('b-direct');
  failGetsOf('b-direct');
  const run = handler({ Records: [created(key)] } as never);
  await expect(run).rejects.toMatchObject({ retryable: true });
  proxy.setRules([]);
  await expect(handler({ Records: [created(key)] } as never)).resolves.toBeUndefined();
  expect(await p.exists(RESULTS, 'results/plant/v1/b-direct.csv.summary.json')).toBe(true);
}, 30_000);
