import { CreateBucketCommand, PutBucketVersioningCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createOnnxScorer } from '../../scoring/adapters/onnx-scorer';
import { createS3Client } from '../../storage/adapters/s3-client';
import { S3ObjectStore } from '../../storage/adapters/s3-object-store';
import { createHandler } from '../../functions/handlers/score';
import { ModelRepository } from '../../storage/artifact/model-repository';
import { quietLogger, quietMetrics } from '../../cli/demo/quiet-telemetry';
import { MODELS, publishModel, RAW, RESULTS } from './local-pipeline';
import { motoAvailable, startMoto, type MotoServer } from './moto-server';

// .ci/run installs moto; without it this suite fails, saying how to install it (a skipped suite would hide
// that the versioned-object and multipart paths were never run).
describe('the scoring handler against moto S3 (server mode)', () => {
  let moto: MotoServer;
  let client: S3Client;
  let store: S3ObjectStore;
  let handler: ReturnType<typeof createHandler>;
  const event = (key: string, versionId?: string) =>
    ({ Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: RAW }, object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), versionId } } }] }) as never;

  beforeAll(async () => {
    if (!motoAvailable()) throw new Error("moto is not installed: pip install 'moto[server]' (python3 -m moto.server)");
    moto = await startMoto();
    client = createS3Client({ endpoint: moto.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    for (const Bucket of [RAW, RESULTS, MODELS]) await client.send(new CreateBucketCommand({ Bucket }));
    await client.send(new PutBucketVersioningCommand({ Bucket: RAW, VersioningConfiguration: { Status: 'Enabled' } }));
    store = new S3ObjectStore(client);
    await publishModel(store, { name: 'plant', version: 'v1', features: ['a', 'b'], threshold: 1 });
    const models = new ModelRepository({ store, bucket: MODELS, createScorer: (b, m) => createOnnxScorer(b, m) });
    handler = createHandler({ store, models, resultsBucket: RESULTS }, quietLogger(), quietMetrics());
  }, 60_000);
  afterAll(async () => {
    client?.destroy();
    await moto?.stop();
  });

  const text = async (key: string) => new TextDecoder().decode(await store.getBytes({ bucket: RESULTS, key }));

  test('the notification names an object version, and that version is scored even after an overwrite', async () => {
    const v1 = await client.send(new PutObjectCommand({ Bucket: RAW, Key: 'incoming/plant/v.csv', Body: 'a,b\n5,5\n' }));
    await client.send(new PutObjectCommand({ Bucket: RAW, Key: 'incoming/plant/v.csv', Body: 'a,b\n0,0\n' }));
    await handler(event('incoming/plant/v.csv', v1.VersionId));
    expect(await text('results/plant/v1/v.csv'))
      .toBe('a,b,anomaly_score,anomaly_probability,is_anomaly,top_features,top_errors\n5,5,25,1,1,a;b,25;25\n');
    const summary = JSON.parse(await text('results/plant/v1/v.csv.summary.json'));
    expect(summary.input_version).toBe(v1.VersionId);
  });

  test('an output larger than one multipart part is uploaded whole', async () => {
    const rows = 1_000_000; // ~ 19 MB of output: three 8 MiB parts
    const body = 'a,b\n' + '1.5,2.5\n'.repeat(rows);
    await client.send(new PutObjectCommand({ Bucket: RAW, Key: 'incoming/plant/big.csv', Body: body }));
    await handler(event('incoming/plant/big.csv'));
    const summary = JSON.parse(await text('results/plant/v1/big.csv.summary.json'));
    expect(summary).toMatchObject({ rows_in: rows, rows_out: rows, rows_rejected: 0 });
    const out = await store.getBytes({ bucket: RESULTS, key: 'results/plant/v1/big.csv' });
    expect(out.length).toBeGreaterThan(16 << 20);
    // 19 MB through moto's Python server: ~30 s on a quiet 2-core machine, past 120 s when it is loaded
  }, 300_000);

  test('a missing model quarantines the object in the results bucket', async () => {
    await client.send(new PutObjectCommand({ Bucket: RAW, Key: 'incoming/ghost/x.csv', Body: 'a,b\n1,2\n' }));
    await handler(event('incoming/ghost/x.csv'));
    expect(JSON.parse(await text('quarantine/ghost/x.csv.error.json')).code).toBe('UNKNOWN_MODEL');
  });
});
