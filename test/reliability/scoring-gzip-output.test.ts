import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { scoreFile } from '../../cli/commands/score';
import type { LoadedModel } from '../../scoring/batch-scorer';
import { fixedModel, fixedModelArtifact } from '../scoring/fixtures/fixed-model';
import { lambdaOnFiles, RESULTS, scoreText, tempStore, type TempStore } from '../scoring/fixtures/scoring-run';

/** Issue 10 item 4: `.gz` outputs are gzip, and the Lambda gzips the result of a gzipped input. */
const GZIP_MAGIC = [0x1f, 0x8b];
const CSV = 'id,a,b\n1,0,0\n2,3,4\n';
const SCORED = 'id,a,b,anomaly_score,anomaly_probability,is_anomaly,top_features,top_errors\n' +
  '1,0,0,0,0,0,a;b,0;0\n2,3,4,12.5,1,1,b;a,16;9\n';

let at: TempStore;
let model: LoadedModel;
beforeAll(async () => {
  at = await tempStore();
  model = await fixedModel({ features: ['a', 'b'], threshold: 2 });
});
afterAll(() => model.scorer.release());

test('writeScoredOutput with gzip writes a gzip stream of the same scored rows', async () => {
  await scoreText(at, model, CSV, 'plain.csv');
  await scoreText(at, model, CSV, 'zipped.csv.gz', { extra: { gzip: true } });
  const zipped = await at.bytes('out', 'zipped.csv.gz');
  expect([...zipped.subarray(0, 2)]).toEqual(GZIP_MAGIC);
  expect(gunzipSync(zipped).toString('utf8')).toBe(await at.text('out', 'plain.csv'));
  expect(await at.text('out', 'plain.csv')).toBe(SCORED);
});

test('a gzip output whose run fails rejects with the error and leaves no output', async () => {
  await expect(scoreText(at, model, 'a,c\n1,2\n', 'failed.csv.gz', { extra: { gzip: true } })).rejects.toThrow(/missing column\(s\) 'b'/);
  expect(await at.exists('out', 'failed.csv.gz')).toBe(false);
});

test('residual score --output x.csv.gz and x.jsonl.gz write gzip-compressed output', async () => {
  const dir = join(at.root, 'cli');
  await mkdir(join(dir, 'model'), { recursive: true });
  const artifact = await fixedModelArtifact({ features: ['a', 'b'], threshold: 2 });
  await writeFile(join(dir, 'model', 'manifest.json'), JSON.stringify(artifact.manifest));
  await writeFile(join(dir, 'model', 'model.onnx'), artifact.onnx);
  await writeFile(join(dir, 'in.csv'), CSV);
  await scoreFile({ model: join(dir, 'model'), input: join(dir, 'in.csv'), output: join(dir, 'out.csv.gz') });
  expect(gunzipSync(await readFile(join(dir, 'out.csv.gz'))).toString('utf8')).toBe(SCORED);
  await scoreFile({ model: join(dir, 'model'), input: join(dir, 'in.csv'), output: join(dir, 'out.jsonl.gz') });
  const rows = gunzipSync(await readFile(join(dir, 'out.jsonl.gz'))).toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
  expect(rows[1]).toMatchObject({ id: 2, anomaly_score: 12.5, is_anomaly: 1 });
});

test('the Lambda writes a gzipped result, keyed .csv.gz, for a gzipped input', async () => {
  const lambda = await lambdaOnFiles({ name: 'plant', features: ['a', 'b'], threshold: 2 });
  try {
    const outcome = await lambda.score('incoming/plant/day.csv.gz', gzipSync(CSV));
    expect(outcome.status).toBe('scored');
    const out = await lambda.bytes(RESULTS, 'results/plant/v1/day.csv.gz');
    expect([...out.subarray(0, 2)]).toEqual(GZIP_MAGIC);
    expect(gunzipSync(out).toString('utf8')).toBe(SCORED);
  } finally {
    await lambda.close();
  }
});
