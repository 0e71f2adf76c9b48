import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { publishModel, startLocalPipeline, type LocalPipeline } from './local-pipeline';

// A distinctive reading that must never reach a log line (the service carries health data).
const SECRET = '987654.321';
const CSV = `patient,a,b,c\np-1,${SECRET},0,0\np-2,1,1,x\n`;

let p: LocalPipeline;
let lines: string[];
const writeOut = process.stdout.write.bind(process.stdout);
const writeErr = process.stderr.write.bind(process.stderr);

beforeAll(async () => {
  lines = [];
  // the Lambda writes its JSON logs (warnings and errors to stderr) and EMF metrics to stdout; collect both
  const collect = ((chunk: string | Uint8Array) => (
    lines.push(...String(chunk).split('\n').filter(Boolean)),
    true
  )) as typeof process.stdout.write;
  process.stdout.write = collect;
  process.stderr.write = collect;
  p = await startLocalPipeline(
    {},
    new Logger({ serviceName: 'residual-scoring', logLevel: 'DEBUG' }),
    new Metrics({ namespace: 'residual', serviceName: 'residual-scoring' }),
  );
  await publishModel(p.store, { name: 'ward', version: 'v7', features: ['a', 'b', 'c'], threshold: 1 });
  await p.upload('incoming/ward/night.csv', CSV);
  await p.upload('incoming/nobody/night.csv', CSV);
});
afterAll(async () => {
  process.stdout.write = writeOut;
  process.stderr.write = writeErr;
  await p.close();
});

const json = () => lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

test('each scored object emits EMF metrics for rows, anomalies, rejected rows and duration, with the model version', () => {
  const emf = json().find((o) => (o._aws as { CloudWatchMetrics?: unknown } | undefined)?.CloudWatchMetrics && 'RowsIn' in o);
  expect(emf).toMatchObject({ RowsIn: 2, RowsOut: 1, RejectedRows: 1, Anomalies: 1, modelVersion: 'ward@v7', service: 'residual-scoring' });
  expect(typeof emf!.DurationMs).toBe('number');
  const names = ((emf!._aws as { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] }).CloudWatchMetrics[0]!);
  expect(names.Namespace).toBe('residual');
});

test('a quarantined object is counted in its own metric and logged with its reason', () => {
  expect(json().some((o) => o.QuarantinedObjects === 1)).toBe(true);
  expect(json().some((o) => o.message === 'object quarantined' && String(o.reason).includes("unknown model 'nobody'"))).toBe(true);
});

test('no log line or metric carries a data value from the input', () => {
  expect(lines.length).toBeGreaterThan(2);
  for (const line of lines) expect(line).not.toContain(SECRET);
});
