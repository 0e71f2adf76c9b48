import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { readdir, readFile, mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { createS3Client } from '../../storage/adapters/s3-client';
import { explainS3Failure } from '../../storage/adapters/explain-s3-failure';
import { startLocalS3, type LocalS3 } from '../../storage/adapters/local-s3-server';
import { configureS3 } from '../../storage/adapters/store-for-uri';

const MODEL = join(__dirname, '../../models/sensors');
const SAMPLE = join(__dirname, '../../models/sensors-sample.csv');
const ENV_KEYS = ['S3_ENDPOINT', 'AWS_ENDPOINT_URL_S3', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_EC2_METADATA_DISABLED', 'AWS_REGION', 'HOME'];
const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

let s3: LocalS3;
let stderr: string[];
const write = process.stderr.write.bind(process.stderr);
beforeAll(async () => {
  s3 = await startLocalS3({ directory: await mkdtemp(join(tmpdir(), 'residual-s3-flags-')), buckets: ['data'] });
});
beforeEach(() => {
  for (const k of ENV_KEYS) delete process.env[k];
  stderr = [];
  process.stderr.write = ((s: string) => (stderr.push(String(s)), true)) as typeof process.stderr.write;
});
afterEach(() => {
  process.stderr.write = write;
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  configureS3({});
});
afterAll(async () => {
  await s3.close();
});

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('--endpoint-url points score at s3rver with no S3_ENDPOINT in the environment', async () => {
  const client = createS3Client({ endpoint: s3.endpoint });
  await client.send(new PutObjectCommand({ Bucket: 'data', Key: 'in/sensors.csv', Body: await readFile(SAMPLE) }));
  for (const name of await readdir(MODEL)) {
    await client.send(new PutObjectCommand({ Bucket: 'data', Key: `models/sensors/${name}`, Body: await readFile(join(MODEL, name)) }));
  }
  const code = await main(['score', '-m', 's3://data/models/sensors', '-i', 's3://data/in/sensors.csv', '-o', 's3://data/out/scored.csv',
    '--endpoint-url', s3.endpoint, '--region', 'eu-west-1', '-q']);
  expect([code, stderr.join('')]).toEqual([0, '']);
  const out = await client.send(new GetObjectCommand({ Bucket: 'data', Key: 'out/scored.csv' }));
  const lines = (await out.Body!.transformToString()).trimEnd().split('\n');
  expect(lines).toHaveLength(1001);
  expect(lines[0]).toMatch(/,anomaly_score,anomaly_probability,is_anomaly/);
  client.destroy();
}, 30000);

test('a refused connection names the endpoint and ECONNREFUSED, exit 1, one line', async () => {
  const endpoint = `http://127.0.0.1:${await closedPort()}`;
  const code = await main(['inspect', 's3://data/models/sensors', '--endpoint-url', endpoint]);
  expect(code).toBe(1);
  expect(stderr.join('')).toBe(`residual inspect: cannot reach the S3 endpoint ${endpoint} (ECONNREFUSED)\n`);
}, 30000);

test('S3_ENDPOINT still works, and --endpoint-url wins over it', async () => {
  process.env.S3_ENDPOINT = `http://127.0.0.1:${await closedPort()}`;
  expect(await main(['inspect', 's3://data/models/sensors', '--json'])).toBe(1);
  expect(stderr.join('')).toBe(`residual inspect: cannot reach the S3 endpoint ${process.env.S3_ENDPOINT} (ECONNREFUSED)\n`);
  stderr = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    expect(await main(['inspect', 's3://data/models/sensors', '--json', '--endpoint-url', s3.endpoint])).toBe(0);
  } finally {
    spy.mockRestore();
  }
}, 30000);

test('no credentials anywhere: the message says how to give them, exit 1', async () => {
  const empty = await mkdtemp(join(tmpdir(), 'residual-no-aws-'));
  Object.assign(process.env, { HOME: empty, AWS_EC2_METADATA_DISABLED: 'true', AWS_REGION: 'eu-west-1' });
  expect(await main(['inspect', 's3://some-bucket/models/x'])).toBe(1);
  expect(stderr.join('')).toBe(
    'residual inspect: no AWS credentials found (set AWS_PROFILE or --profile <name>, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)\n');
}, 30000);

test('a --profile that is not configured is named', async () => {
  const empty = await mkdtemp(join(tmpdir(), 'residual-no-aws-'));
  Object.assign(process.env, { HOME: empty, AWS_EC2_METADATA_DISABLED: 'true' });
  expect(await main(['inspect', 's3://some-bucket/models/x', '--profile', 'nosuch', '--region', 'eu-west-1'])).toBe(1);
  expect(stderr.join('')).toMatch(/^residual inspect: no AWS credentials found for profile 'nosuch' /);
}, 30000);

test('explainS3Failure reads codes inside AggregateErrors and causes, and leaves S3\'s own answers alone', () => {
  const refused = new AggregateError([Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })], '');
  expect(explainS3Failure(new Error('wrapped', { cause: refused }), { endpoint: 'http://h:1' })?.message)
    .toBe('cannot reach the S3 endpoint http://h:1 (ECONNREFUSED)');
  expect(explainS3Failure(Object.assign(new Error(''), { name: 'TimeoutError' }), { region: 'eu-west-1' })?.message)
    .toBe('cannot reach the S3 endpoint for region eu-west-1 (connection timed out)');
  const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  expect(explainS3Failure(denied, {})).toBeNull();
});
