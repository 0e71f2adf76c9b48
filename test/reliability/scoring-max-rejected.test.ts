import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { parseRejectionLimit, TooManyRejectedError } from '../../scoring/rejection-limit';
import { fixedModelArtifact } from '../scoring/fixtures/fixed-model';
import { lambdaOnFiles, RESULTS, scoreText, useFixedModelRun } from '../scoring/fixtures/scoring-run';

/** Issue 10 item 8 (scoring): past --max-rejected (default 50 %) a run fails and leaves no output. */
const TWO_OF_THREE_BAD = 'a,b\n1,2\nx,2\n1,y\n';

const fx = useFixedModelRun(['a', 'b']);

test('more than 50 % rejected fails with TOO_MANY_REJECTED and leaves no output, even for a 3-row object', async () => {
  const run = scoreText(fx.at, fx.model, TWO_OF_THREE_BAD, 'bad.csv');
  await expect(run).rejects.toThrow(TooManyRejectedError);
  await expect(run).rejects.toMatchObject({ code: 'TOO_MANY_REJECTED', rowsIn: 3, rowsRejected: 2 });
  await expect(run).rejects.toThrow(/^2 of 3 rows were rejected, over the limit of 50% of the rows read/);
  expect(await readdir(join(fx.at.root, 'out')).then((names) => names.filter((n) => n.startsWith('bad.csv')))).toEqual([]);
});

test('exactly 50 % rejected passes the default limit (the limit is strictly more than P %)', async () => {
  const summary = await scoreText(fx.at, fx.model, 'a,b\n1,2\nx,2\n', 'half.csv');
  expect(summary).toMatchObject({ rows_in: 2, rows_out: 1, rows_rejected: 1 });
});

test('a count limit allows that many rejected rows and fails on one more', async () => {
  const limit = (count: number) => ({ extra: { maxRejected: { count } } });
  await expect(scoreText(fx.at, fx.model, TWO_OF_THREE_BAD, 'count-ok.csv', limit(2))).resolves.toMatchObject({ rows_rejected: 2 });
  await expect(scoreText(fx.at, fx.model, TWO_OF_THREE_BAD, 'count-bad.csv', limit(1))).rejects.toThrow(TooManyRejectedError);
  expect(await fx.at.exists('out', 'count-bad.csv')).toBe(false);
});

test('--max-rejected takes N or P% and refuses anything else', () => {
  expect(parseRejectionLimit('0')).toEqual({ count: 0 });
  expect(parseRejectionLimit('25')).toEqual({ count: 25 });
  expect(parseRejectionLimit('2.5%')).toEqual({ percent: 2.5 });
  for (const bad of ['', '-1', '1.5', '101%', 'half', '5 %%']) expect(() => parseRejectionLimit(bad)).toThrow(/--max-rejected/);
});

test('residual score past --max-rejected exits non-zero with a message of counts and writes nothing', async () => {
  const dir = join(fx.at.root, 'cli');
  await mkdir(join(dir, 'model'), { recursive: true });
  const artifact = await fixedModelArtifact({ features: ['a', 'b'] });
  await writeFile(join(dir, 'model', 'manifest.json'), JSON.stringify(artifact.manifest));
  await writeFile(join(dir, 'model', 'model.onnx'), artifact.onnx);
  await writeFile(join(dir, 'in.csv'), 'a,b\n1,2\n3,4\nx,2\n');
  const stderr: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (stderr.push(String(chunk)), true));
  try {
    const paths = ['--model', join(dir, 'model'), '--input', join(dir, 'in.csv'), '--output', join(dir, 'out.csv')];
    const code = await main(['score', ...paths, '--max-rejected', '0']);
    expect(code).not.toBe(0);
  } finally {
    spy.mockRestore();
  }
  expect(stderr.join('')).toMatch(/1 of 3 rows were rejected, over the limit of 0 rows/);
  expect((await readdir(dir)).filter((n) => n.startsWith('out.csv'))).toEqual([]);
});

test('the Lambda quarantines an object past the default limit with code TOO_MANY_REJECTED', async () => {
  const lambda = await lambdaOnFiles({ name: 'plant', features: ['a', 'b'] });
  try {
    const outcome = await lambda.score('incoming/plant/mostly-bad.csv', TWO_OF_THREE_BAD);
    expect(outcome).toMatchObject({ status: 'quarantined', code: 'TOO_MANY_REJECTED' });
    expect(await lambda.exists(RESULTS, 'results/plant/v1/mostly-bad.csv')).toBe(false);
    const report = JSON.parse(await lambda.text(RESULTS, 'quarantine/plant/mostly-bad.csv.error.json'));
    expect(report.code).toBe('TOO_MANY_REJECTED');
  } finally {
    await lambda.close();
  }
});
