import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreFile } from '../../cli/commands/score';
import { main } from '../../cli/main';
import { confusion } from '../../core/metrics';
import { exampleSeries } from '../../models/build-examples';
import { captureStderr } from './cli-harness';

const MODEL = join(__dirname, '../../models/sensors');
const SAMPLE = join(__dirname, '../../models/sensors-sample.csv');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'residual-cli-'));
});

const lines = async (file: string) => (await readFile(file, 'utf8')).trimEnd().split('\n');

describe('residual score on local files with the example model', () => {
  test('detect flags the injected anomalies of the sample with precision and recall ≥ 0.9', async () => {
    const out = join(dir, 'scored.csv');
    const summary = await scoreFile({ model: MODEL, input: SAMPLE, output: out });
    expect(summary).toMatchObject({ rows_in: 1000, rows_out: 1000, rows_rejected: 0, model: { name: 'sensors', version: '1' } });
    const rows = (await lines(out)).slice(1).map((l) => l.split(','));
    const flags = rows.map((r) => Number(r[11]));
    const labels = exampleSeries().test.labels.slice(0, 1000);
    const c = confusion(flags, labels);
    expect(labels.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(4);
    expect(c.recall).toBeGreaterThanOrEqual(0.9);
    expect(c.precision).toBeGreaterThanOrEqual(0.9);
  });

  test('impute fills the missing cells and leaves every other byte of each row as it was', async () => {
    const input = join(dir, 'gappy.csv');
    const original = await lines(SAMPLE);
    const gappy = original.map((l, i) => (i > 0 && i % 7 === 0 ? l.replace(/,[^,]+$/, ',') : l));
    await writeFile(input, gappy.join('\n') + '\n');
    const out = join(dir, 'filled.csv');
    const summary = await scoreFile({ model: MODEL, input, output: out, mode: 'impute' });
    const filled = await lines(out);
    const empty = gappy.slice(1).reduce((n, l) => n + l.split(',').slice(1).filter((c) => c === '').length, 0);
    expect(summary.cells_imputed).toBe(empty);
    const truth = original.slice(1).map((l) => Number(l.split(',').pop() || NaN));
    const observed = truth.filter((v) => !Number.isNaN(v));
    const mean = observed.reduce((a, b) => a + b, 0) / observed.length;
    const errors: number[] = [];
    filled.forEach((line, i) => {
      if (i > 0 && gappy[i]!.split(',').slice(1).includes('')) {
        // only the blank cells changed: every filled-in field was blank in the input
        const before = gappy[i]!.split(',');
        line.split(',').forEach((cell, j) => expect(before[j] === '' || before[j] === cell).toBe(true));
      }
      if (gappy[i]!.endsWith(',') && !original[i]!.endsWith(',')) {
        errors.push(Math.abs(Number(line.split(',').pop()) - truth[i - 1]!));
      } else if (!gappy[i]!.split(',').includes('')) {
        expect(line).toBe(gappy[i]);
      }
    });
    // the correlated sensors pin the blanked one down better than filling in the column mean would
    const meanFill = filled
      .map((_, i) => i)
      .filter((i) => gappy[i]!.endsWith(',') && !original[i]!.endsWith(','))
      .map((i) => Math.abs(mean - truth[i - 1]!));
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(errors.length).toBeGreaterThan(100);
    expect(avg(errors)).toBeLessThan(0.75 * avg(meanFill));
  });

  test('JSON Lines output is written when the output name asks for it', async () => {
    const out = join(dir, 'scored.jsonl');
    await scoreFile({ model: MODEL, input: SAMPLE, output: out });
    const first = JSON.parse((await lines(out))[0]!);
    expect(first).toMatchObject({ timestamp: '2026-01-05T04:00:00.000Z', is_anomaly: 0 });
    expect(typeof first.anomaly_score).toBe('number');
    // top_errors: a string, the feature_error of each top_features name in the same order, as float32 text
    const names = String(first.top_features).split(';');
    const errors = String(first.top_errors).split(';').map(Number);
    expect(errors).toHaveLength(names.length);
    expect(errors.every((e) => Number.isFinite(e) && e >= 0)).toBe(true);
    expect([...errors].sort((a, b) => b - a)).toEqual(errors);
  });

  test('an input missing a feature column is refused with the column named', async () => {
    const input = join(dir, 'narrow.csv');
    await writeFile(input, 'timestamp,sensor_0\nx,1\n');
    await expect(scoreFile({ model: MODEL, input, output: join(dir, 'n.csv') })).rejects.toThrow(/missing column\(s\) 'sensor_1'/);
  });
});

describe('the residual command line', () => {
  const stderr = captureStderr();

  test('an unknown flag exits 2 (usage error) with a message naming it', async () => {
    expect(await main(['score', '--model', MODEL, '--input', SAMPLE, '--output', join(dir, 'x.csv'), '--colour', 'red'])).toBe(2);
    expect(stderr.text()).toMatch(/unknown flag '--colour'/);
  });

  test('a bad mode exits 1 and names the allowed ones', async () => {
    expect(await main(['score', '--model', MODEL, '--input', SAMPLE, '--output', join(dir, 'x.csv'), '--mode', 'guess'])).toBe(1);
    expect(stderr.text()).toMatch(/--mode must be one of detect, impute, denoise, embed/);
  });

  test('a missing model folder exits 1 and says where it looked', async () => {
    expect(await main(['score', '--model', join(dir, 'nope'), '--input', SAMPLE, '--output', join(dir, 'x.csv')])).toBe(1);
    expect(stderr.text()).toMatch(/no manifest.json/);
  });

  test('an unknown command exits 2', async () => {
    expect(await main(['frobnicate'])).toBe(2);
  });
});
