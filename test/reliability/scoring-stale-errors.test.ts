import { FileObjectStore } from '../../storage/adapters/file-object-store';
import { ERRORS_SUFFIX } from '../../scoring/write-scored-output';
import { publishModel, RESULTS, startLocalPipeline, type LocalPipeline } from '../e2e/local-pipeline';
import { scoreText, useFixedModelRun } from '../scoring/fixtures/scoring-run';

/** Issue 10 item 16: a clean run leaves no error report behind from an earlier run or object version. */
const WITH_BAD_ROW = 'a,b\n1,2\n3,4\nx,2\n';
const CLEAN = 'a,b\n1,2\n3,4\n';

describe('local files', () => {
  const fx = useFixedModelRun(['a', 'b']);

  test('a clean re-run deletes the error report of the earlier run', async () => {
    const first = await scoreText(fx.at, fx.model, WITH_BAD_ROW, 'rerun.csv');
    expect(first.errors).toMatch(new RegExp(`rerun\\.csv${ERRORS_SUFFIX.replace('.', '\\.')}$`));
    expect(await fx.at.exists('out', `rerun.csv${ERRORS_SUFFIX}`)).toBe(true);
    const second = await scoreText(fx.at, fx.model, CLEAN, 'rerun.csv');
    expect(second.errors).toBeNull();
    expect(await fx.at.exists('out', `rerun.csv${ERRORS_SUFFIX}`)).toBe(false);
  });

  test('FileObjectStore.delete of a missing file is not an error', async () => {
    const store = new FileObjectStore(fx.at.root);
    await expect(store.delete({ bucket: 'out', key: 'never-written.csv' })).resolves.toBeUndefined();
    await fx.at.write('out', 'doomed.csv', 'x');
    await store.delete({ bucket: 'out', key: 'doomed.csv' });
    expect(await fx.at.exists('out', 'doomed.csv')).toBe(false);
  });
});

describe('S3 (s3rver) through the handler', () => {
  let p: LocalPipeline;
  beforeAll(async () => {
    p = await startLocalPipeline();
    await publishModel(p.store, { name: 'plant', version: 'v1', features: ['a', 'b'] });
  });
  afterAll(() => p.close());

  test('a new object version without rejected rows deletes the stale error report', async () => {
    await p.upload('incoming/plant/day.csv', WITH_BAD_ROW);
    expect(await p.exists(RESULTS, `results/plant/v1/day.csv${ERRORS_SUFFIX}`)).toBe(true);
    await p.upload('incoming/plant/day.csv', CLEAN);
    const summary = JSON.parse(await p.text(RESULTS, 'results/plant/v1/day.csv.summary.json'));
    expect(summary).toMatchObject({ rows_in: 2, rows_rejected: 0, errors: null });
    expect(await p.exists(RESULTS, `results/plant/v1/day.csv${ERRORS_SUFFIX}`)).toBe(false);
  });

  test('S3ObjectStore.delete of a missing key is not an error', async () => {
    await expect(p.store.delete({ bucket: RESULTS, key: 'results/none/such.csv' })).resolves.toBeUndefined();
  });
});
