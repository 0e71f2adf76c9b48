import type { SQSEvent } from 'aws-lambda';
import { quietLogger } from '../../cli/demo/quiet-telemetry';
import { fixedModelArtifact } from '../scoring/fixtures/fixed-model';
import { MODELS, publishModel, RAW, RESULTS, startLocalPipeline, type LocalPipeline } from '../e2e/local-pipeline';

// The real handler against s3rver: events that name no readable object must end ignored with a reason.
let p: LocalPipeline;
// what the handler logged (level, message, attributes), observed on the real (silenced) logger
const logged: [string, string, Record<string, unknown>][] = [];
const IGNORED = ['event record ignored', 'object ignored'];
const reasons = () => logged.filter(([, message]) => IGNORED.includes(message)).map(([, , a]) => String(a.reason));
beforeAll(async () => {
  const logger = quietLogger();
  for (const level of ['info', 'warn', 'error'] as const) {
    const original = logger[level].bind(logger) as (m: string, a?: Record<string, unknown>) => void;
    (logger as unknown as Record<string, unknown>)[level] = (m: string, a: Record<string, unknown> = {}) => {
      logged.push([level, m, a]);
      original(m, a);
    };
  }
  p = await startLocalPipeline({}, logger);
  await publishModel(p.store, { name: 'plant', version: 'v1', features: ['a', 'b'] });
});
afterAll(() => p.close());

const direct = (records: unknown[]) => ({ Records: records }) as never;
const created = (key: string) => ({ eventName: 'ObjectCreated:Put', s3: { bucket: { name: RAW }, object: { key } } });
const sqs = (bodies: string[]): SQSEvent => ({
  Records: bodies.map((body, i) => ({ messageId: `m${i}`, body, eventSource: 'aws:sqs' }) as SQSEvent['Records'][number]),
});

describe('events that name nothing scoreable are ignored, not thrown to the DLQ', () => {
  test('an event for a missing key with an unsupported extension is ignored and nothing is quarantined', async () => {
    await expect(p.handler(direct([created('incoming/plant/gone.txt')]))).resolves.toBeUndefined();
    expect(await p.exists(RESULTS, 'quarantine/plant/gone.txt.error.json')).toBe(false);
    expect(reasons()).toContain("object 'incoming/plant/gone.txt' no longer exists");
    const res = await p.handler(sqs([JSON.stringify({ Records: [created('incoming/plant/gone.txt')] })]));
    expect(res).toEqual({ batchItemFailures: [] });
  });

  test("a raw '%' in a direct event's key is ignored with a reason and the event's other records still run", async () => {
    await p.store.put({ bucket: RAW, key: 'incoming/plant/ok.csv' }, 'a,b\n1,1\n');
    await expect(p.handler(direct([created('incoming/plant/100%.csv'), created('incoming/plant/ok.csv')]))).resolves.toBeUndefined();
    expect(await p.exists(RESULTS, 'results/plant/v1/ok.csv.summary.json')).toBe(true);
    expect(reasons()).toContain("record 0: key 'incoming/plant/100%.csv' is not valid percent-encoding");
  });

  test('a record with no s3 field is ignored with a reason (direct event and inside an SQS message)', async () => {
    await expect(p.handler(direct([{ eventName: 'ObjectCreated:Put' }]))).resolves.toBeUndefined();
    expect(reasons()).toContain('record 0 has no s3.bucket.name or s3.object.key');
    const res = await p.handler(sqs([JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put' }] })]));
    expect(res).toEqual({ batchItemFailures: [] });
  });

  test("an SQS message whose S3 record carries a raw '%' is no failure, and its other records are still scored", async () => {
    await p.store.put({ bucket: RAW, key: 'incoming/plant/sqs-ok.csv' }, 'a,b\n1,1\n');
    const body = JSON.stringify({ Records: [created('incoming/plant/50%off.csv'), created('incoming/plant/sqs-ok.csv')] });
    const res = await p.handler(sqs([body]));
    expect(res).toEqual({ batchItemFailures: [] });
    expect(await p.exists(RESULTS, 'results/plant/v1/sqs-ok.csv.summary.json')).toBe(true);
    expect(reasons()).toContain("record 0: key 'incoming/plant/50%off.csv' is not valid percent-encoding");
  });
});

describe('a model artifact that cannot be used quarantines the object (INVALID_MODEL)', () => {
  test('a manifest whose feature count disagrees with model.onnx', async () => {
    const { manifest, onnx } = await fixedModelArtifact({ name: 'skewed', features: ['a', 'b', 'c'] });
    const wrong = { ...manifest, features: ['a', 'b'], scaler: { ...manifest.scaler, offset: [0, 0], scale: [1, 1] } };
    await p.store.put({ bucket: MODELS, key: 'models/skewed/v1/model.onnx' }, onnx);
    await p.store.put({ bucket: MODELS, key: 'models/skewed/v1/manifest.json' }, JSON.stringify(wrong));
    await p.store.put({ bucket: MODELS, key: 'models/skewed/LATEST' }, 'v1');
    await p.upload('incoming/skewed/x.csv', 'a,b\n1,2\n');
    const report = JSON.parse(await p.text(RESULTS, 'quarantine/skewed/x.csv.error.json'));
    expect(report.code).toBe('INVALID_MODEL');
    expect(report.reason).toContain('manifest says F=2, model.onnx input x has 3');
  });

  test('an empty LATEST', async () => {
    await p.store.put({ bucket: MODELS, key: 'models/blank/LATEST' }, '');
    await p.upload('incoming/blank/x.csv', 'a,b\n1,2\n');
    const report = JSON.parse(await p.text(RESULTS, 'quarantine/blank/x.csv.error.json'));
    expect(report.code).toBe('INVALID_MODEL');
    expect(report.reason).toContain('models/blank/LATEST does not hold a version name');
  });
});
