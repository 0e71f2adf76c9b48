import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { createS3Client } from '../../storage/adapters/s3-client';
import { startLocalS3, type LocalS3 } from '../../storage/adapters/local-s3-server';

const MODEL = join(__dirname, '../../models/sensors');
const SAMPLE = join(__dirname, '../../models/sensors-sample.csv');

let s3: LocalS3;
const saved = process.env.S3_ENDPOINT;
beforeAll(async () => {
  s3 = await startLocalS3({ directory: await mkdtemp(join(tmpdir(), 'residual-s3-guard-')), buckets: ['data'] });
  process.env.S3_ENDPOINT = s3.endpoint;
});
afterAll(async () => {
  if (saved === undefined) delete process.env.S3_ENDPOINT;
  else process.env.S3_ENDPOINT = saved;
  await s3.close();
});

test('score refuses an s3 output with the same bucket and key as the input, exit 1, and the object is unchanged', async () => {
  const client = createS3Client({ endpoint: s3.endpoint });
  const body = await readFile(SAMPLE);
  await client.send(new PutObjectCommand({ Bucket: 'data', Key: 'in/sensors.csv', Body: body }));
  const stderr: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string) => (stderr.push(String(s)), true)) as typeof process.stderr.write;
  let code: number;
  try {
    code = await main(['score', '--model', MODEL, '--input', 's3://data/in/sensors.csv', '--output', 's3://data/in/sensors.csv']);
  } finally {
    process.stderr.write = write;
  }
  expect(code).toBe(1);
  const uri = 's3://data/in/sensors.csv';
  expect(stderr.join('')).toBe(`residual score: --output '${uri}' is the input '${uri}'; choose another output name\n`);
  const after = await client.send(new GetObjectCommand({ Bucket: 'data', Key: 'in/sensors.csv' }));
  expect(Buffer.from(await after.Body!.transformToByteArray()).equals(body)).toBe(true);
  client.destroy();
});
