import { Logger } from '@aws-lambda-powertools/logger';
import { createHandler } from '../../functions/handlers/score';
import { DEFAULT_METRICS_NAMESPACE, metricsNamespace } from '../../functions/config';
import { ModelRepository } from '../../storage/artifact/model-repository';
import { createOnnxScorer } from '../../scoring/adapters/onnx-scorer';
import { MODELS, publishModel, RESULTS, startLocalPipeline, type LocalPipeline } from '../e2e/local-pipeline';

// Issue 11.4: the namespace comes from POWERTOOLS_METRICS_NAMESPACE, the first invocation emits ColdStart, and
// every log line carries the Lambda context (logger.addContext). The real handler and Powertools, stdout collected.
let p: LocalPipeline;
let lines: string[];
const writeOut = process.stdout.write.bind(process.stdout);
const writeErr = process.stderr.write.bind(process.stderr);
// what Lambda (and the stack) set; Powertools reads them when the logger and metrics are built
const LAMBDA_ENV = {
  POWERTOOLS_METRICS_NAMESPACE: 'residual-from-env', POWERTOOLS_SERVICE_NAME: 'residual-scoring',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
};
const saved = Object.fromEntries(Object.keys(LAMBDA_ENV).map((k) => [k, process.env[k]]));

beforeAll(async () => {
  p = await startLocalPipeline();
  await publishModel(p.store, { name: 'ward', version: 'v1', features: ['a', 'b'] });
  // objects under RESULTS, which the pipeline's own handler does not watch: only the handler below scores them
  await p.store.put({ bucket: RESULTS, key: 'incoming/ward/one.csv' }, 'a,b\n1,1\n');
  await p.store.put({ bucket: RESULTS, key: 'incoming/ward/two.csv' }, 'a,b\n2,2\n');
});
afterAll(async () => {
  process.stdout.write = writeOut;
  process.stderr.write = writeErr;
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await p.close();
});

const event = (key: string) =>
  ({ Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: RESULTS }, object: { key } } }] }) as never;
const context = (id: string) => ({
  functionName: 'residual-scoring-fn', functionVersion: '$LATEST', awsRequestId: id, memoryLimitInMB: '2048',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:residual-scoring-fn', getRemainingTimeInMillis: () => 60_000,
});

test('two invocations: metrics in the namespace from the environment, one ColdStart, each log line with its request id', async () => {
  Object.assign(process.env, LAMBDA_ENV);
  const models = new ModelRepository({ store: p.store, bucket: MODELS, createScorer: (b, m) => createOnnxScorer(b, m) });
  // the default metrics (the argument left out), as the Lambda entry point builds them
  const handler = createHandler({ store: p.store, models, resultsBucket: RESULTS }, new Logger({ logLevel: 'INFO' }));
  lines = [];
  const collect = (
    (chunk: string | Uint8Array) => (lines.push(...String(chunk).split('\n').filter(Boolean)), true)
  ) as typeof process.stdout.write;
  process.stdout.write = collect;
  process.stderr.write = collect;
  try {
    await handler(event('incoming/ward/one.csv'), context('req-1'));
    await handler(event('incoming/ward/two.csv'), context('req-2'));
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
  const json = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  const emf = json.filter((o) => (o._aws as { CloudWatchMetrics?: unknown } | undefined)?.CloudWatchMetrics);
  type Emf = { CloudWatchMetrics: { Namespace: string }[] };
  const namespaces = emf.flatMap((o) => (o._aws as Emf).CloudWatchMetrics.map((m) => m.Namespace));
  expect(namespaces.length).toBeGreaterThanOrEqual(3);
  expect(new Set(namespaces)).toEqual(new Set(['residual-from-env']));
  const cold = emf.filter((o) => 'ColdStart' in o);
  expect(cold).toHaveLength(1);
  expect(cold[0]).toMatchObject({ ColdStart: 1, function_name: 'residual-scoring-fn', service: 'residual-scoring' });
  const scored = json.filter((o) => o.message === 'object scored');
  expect(scored.map((o) => [o.function_request_id, o.function_name, o.cold_start])).toEqual([
    ['req-1', 'residual-scoring-fn', true], ['req-2', 'residual-scoring-fn', false],
  ]);
  expect(emf.filter((o) => 'RowsIn' in o)).toHaveLength(2);
});

test('the namespace is POWERTOOLS_METRICS_NAMESPACE when set and not empty, else the documented default', () => {
  expect(DEFAULT_METRICS_NAMESPACE).toBe('residual');
  expect(metricsNamespace({ POWERTOOLS_METRICS_NAMESPACE: 'ns' })).toBe('ns');
  expect(metricsNamespace({ POWERTOOLS_METRICS_NAMESPACE: '' })).toBe('residual');
  expect(metricsNamespace({})).toBe('residual');
});
