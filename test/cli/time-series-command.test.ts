import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from './cli-harness';

const N = 240;
/** epoch seconds, one a minute: numbers, so only --time-column keeps them from being a feature */
const t0 = 1392336000;
const row = (i: number) => `${t0 + 60 * i},${(Math.sin(i / 6) + (i === 200 ? 8 : 0)).toFixed(4)},${Math.cos(i / 4).toFixed(4)}`;
const csv = (from: number, to: number, extra: string[] = []) =>
  ['ts,a,b', ...Array.from({ length: to - from }, (_, k) => row(from + k)), ...extra].join('\n') + '\n';

let dir: string;
let model: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'residual-ts-cli-'));
  await writeFile(join(dir, 'train.csv'), csv(0, 120));
  model = join(dir, 'model');
  const trained = await runMain(['train', '-d', join(dir, 'train.csv'), '-m', 'pca', '--window', '4', '--time-column', 'ts', '-o', model,
    '--backend', 'cpu', '-q']);
  expect(trained).toMatchObject({ code: 0, stderr: '' });
}, 120000);

const lines = async (file: string) => (await readFile(file, 'utf8')).trimEnd().split('\n');

describe('residual train and score with --time-column and --state', () => {
  test('train: the time column (epoch numbers) is no feature and is recorded, with a probability block', async () => {
    const manifest = JSON.parse(await readFile(join(model, 'manifest.json'), 'utf8'));
    expect(manifest.features).toEqual(['a', 'b']);
    expect(manifest.time_column).toBe('ts');
    expect(manifest.probability).toMatchObject({ method: 'tail', threshold: expect.any(Number) });
    expect(manifest.probability.threshold).toBeGreaterThan(0.9);
  });

  test('score uses the model\'s time column by default; another one is a usage error (exit 2)', async () => {
    await writeFile(join(dir, 'all.csv'), csv(0, N));
    const out = join(dir, 'all-out.csv');
    expect((await runMain(['score', '-m', model, '-i', join(dir, 'all.csv'), '-o', out, '-q'])).code).toBe(0);
    const summary = JSON.parse(await readFile(`${out}.summary.json`, 'utf8'));
    expect(summary).toMatchObject({ rows_in: N, rows_out: N, time: { column: 'ts', median_step_ms: 60000, gaps: 0 } });
    expect((await lines(out))[0]).toBe('ts,a,b,anomaly_score,anomaly_probability,is_anomaly,top_features,top_errors');
    const other = await runMain(['score', '-m', model, '-i', join(dir, 'all.csv'), '-o', join(dir, 'x.csv'), '--time-column', 'a']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/--time-column 'a' differs from the model's time column 'ts'/);
  });

  test('--state: a series scored in 4 files gives the rows of scoring it at once; the state file holds the window tail', async () => {
    const whole = join(dir, 'whole.csv');
    await writeFile(join(dir, 'w.csv'), csv(0, N));
    expect((await runMain(['score', '-m', model, '-i', join(dir, 'w.csv'), '-o', whole, '-q'])).code).toBe(0);
    const state = join(dir, 'series.state.json');
    const rows: string[] = [];
    const cuts = [0, 2, 70, 201, N];
    for (let p = 0; p < 4; p++) {
      await writeFile(join(dir, `p${p}.csv`), csv(cuts[p]!, cuts[p + 1]!));
      const out = join(dir, `p${p}-out.csv`);
      expect((await runMain(['score', '-m', model, '-i', join(dir, `p${p}.csv`), '-o', out, '--state', state, '-q'])).code).toBe(0);
      rows.push(...(await lines(out)).slice(1));
    }
    expect(rows).toEqual((await lines(whole)).slice(1));
    const saved = JSON.parse(await readFile(state, 'utf8'));
    expect(saved).toMatchObject({ schema: 1, rows_seen: N, last_time: String(t0 + 60 * (N - 1)), window_tail: expect.any(Array) });
    expect(saved.window_tail).toHaveLength(3 * 2);
    // the summary keeps its fields: the state is not in it
    expect(JSON.parse(await readFile(join(dir, 'p3-out.csv.summary.json'), 'utf8')).state).toBeUndefined();
  });

  test('a failed run leaves the state as it was; a state of another model is refused', async () => {
    const state = join(dir, 'fail.state.json');
    await writeFile(join(dir, 'f0.csv'), csv(0, 10));
    expect((await runMain(['score', '-m', model, '-i', join(dir, 'f0.csv'), '-o', join(dir, 'f0-out.csv'), '--state', state, '-q'])).code)
      .toBe(0);
    const before = await readFile(state, 'utf8');
    // rows older than the state are rejected (TIME_OUT_OF_ORDER); with --max-rejected 0 the run fails
    await writeFile(join(dir, 'f1.csv'), csv(5, 12));
    const failed = await runMain(['score', '-m', model, '-i', join(dir, 'f1.csv'), '-o', join(dir, 'f1-out.csv'), '--state', state,
      '--max-rejected', '0', '-q']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/TIME_OUT_OF_ORDER/);
    expect(await readFile(state, 'utf8')).toBe(before);
    expect(existsSync(join(dir, 'f1-out.csv'))).toBe(false);
    await writeFile(state, JSON.stringify({ ...JSON.parse(before), model: { name: 'other', version: '1' } }));
    const refused = await runMain(['score', '-m', model, '-i', join(dir, 'f1.csv'), '-o', join(dir, 'f2-out.csv'), '--state', state]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/state '.*fail\.state\.json' cannot be used: it was written by model 'other'/);
  });

  test('train: a --time-column the data lacks is a usage error naming it', async () => {
    const r = await runMain(['train', '-d', join(dir, 'train.csv'), '-m', 'pca', '--time-column', 'when', '-o', join(dir, 'm2'), '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--time-column names 'when', which is not a column of the data/);
  });
});
