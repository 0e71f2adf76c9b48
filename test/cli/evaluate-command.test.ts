import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fixtures from '../fixtures/evaluation/sklearn-fixtures.json';
import { scoreFile } from '../../cli/commands/score';
import { evaluateFile } from '../../cli/commands/evaluate';
import { main } from '../../cli/main';
import { exampleSeries } from '../../models/build-examples';

const MODEL = join(__dirname, '../../models/sensors');
const SAMPLE = join(__dirname, '../../models/sensors-sample.csv');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'residual-evaluate-'));
});

/**
 * Runs `residual evaluate ... --json` and returns its exit code, its human text (on stderr under --json) and the
 * JSON object, which is all of stdout.
 */
async function evaluate(args: string[]): Promise<{ code: number; text: string; json: Record<string, unknown> }> {
  let stdout = '';
  let text = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  const errSpy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += chunk.toString();
    return true;
  });
  try {
    const code = await main(['evaluate', ...args, '--json']);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    return { code, text, json: JSON.parse(stdout) };
  } finally {
    spy.mockRestore();
    errSpy.mockRestore();
  }
}

describe('residual evaluate', () => {
  test.each(['csv', 'jsonl'])('a scored %s file gives scikit-learn\'s numbers; empty scores are counted and left out', async (ext) => {
    const c = fixtures.cases[0]!;
    const rows = c.scores.map((s, i) => ({ anomaly_score: s, is_anomaly: s > c.threshold ? 1 : 0, y: c.labels[i] }));
    rows.splice(7, 0, { anomaly_score: null as unknown as number, is_anomaly: 0, y: 1 });
    const file = join(dir, `scored.${ext}`);
    const body = ext === 'csv'
      ? ['anomaly_score,is_anomaly,y', ...rows.map((r) => `${r.anomaly_score ?? ''},${r.is_anomaly},${r.y}`)].join('\n')
      : rows.map((r) => JSON.stringify(r)).join('\n');
    await writeFile(file, body + '\n');
    const { code, json, text } = await evaluate(['--scored', file, '--label-column', 'y']);
    expect(code).toBe(0);
    expect(json['rows_in']).toBe(c.scores.length + 1);
    expect(json['rows_used']).toBe(c.scores.length);
    expect(json['rows_missing_score']).toBe(1);
    for (const key of ['roc_auc', 'pr_auc', 'precision', 'recall', 'f1', 'best_f1', 'point_adjusted_f1'] as const) {
      expect(json[key] as number).toBeCloseTo(c[key], 12);
    }
    expect(json['best_f1_threshold']).toBe(c.best_f1_threshold);
    expect(json['events']).toBe(c.events);
    expect(text).toMatch(/1 left out for an empty score/);
    expect(text).toMatch(/warning: point-adjusted F1 .* inflates scores/);
  });

  test('labels from a separate file, on the example model\'s real scored output', async () => {
    const scored = join(dir, 'sensors-scored.csv');
    await scoreFile({ model: MODEL, input: SAMPLE, output: scored });
    const labels = exampleSeries().test.labels.slice(0, 1000);
    const labelFile = join(dir, 'labels.csv');
    await writeFile(labelFile, ['label', ...labels].join('\n') + '\n');
    const { json } = await evaluate(['--scored', scored, '--labels', labelFile, '--label-column', 'label']);
    expect(json).toMatchObject({ rows_in: 1000, rows_used: 1000, positives: labels.filter(Boolean).length });
    expect(json['roc_auc'] as number).toBeGreaterThan(0.95);
    expect(json['recall'] as number).toBeGreaterThanOrEqual(0.9);
    expect(json['event_recall'] as number).toBeGreaterThanOrEqual(0.9);
  });

  test('a labels file of another length is refused rather than paired wrongly', async () => {
    const scored = join(dir, 'short.csv');
    await writeFile(scored, 'anomaly_score,is_anomaly\n0.1,0\n0.9,1\n');
    const labelFile = join(dir, 'long-labels.csv');
    await writeFile(labelFile, 'label\n0\n1\n0\n');
    await expect(evaluateFile({ scored, labels: labelFile, labelColumn: 'label' }))
      .rejects.toThrow(/short\.csv ended after 2 rows .* paired by position/);
  });

  test('a label that is not 0/1 names the column and line, not the value', async () => {
    const scored = join(dir, 'badlabel.csv');
    await writeFile(scored, 'anomaly_score,is_anomaly,y\n0.1,0,0\n0.9,1,7\n');
    let err = '';
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
      err += c.toString();
      return true;
    });
    const code = await main(['evaluate', '--scored', scored, '--label-column', 'y']).finally(() => spy.mockRestore());
    expect(code).toBe(1);
    expect(err).toMatch(/column 'y' on line 3 is not 0 or 1/);
    expect(err).not.toMatch(/7/);
  });

  test('impute output against the clean reference: RMSE over the filled cells and overall', async () => {
    const original = (await readFile(SAMPLE, 'utf8')).trimEnd().split('\n');
    const gappy = original.map((l, i) => (i > 0 && i % 5 === 0 ? l.replace(/,[^,]+$/, ',') : l));
    const input = join(dir, 'gappy.csv');
    await writeFile(input, gappy.join('\n') + '\n');
    const filled = join(dir, 'filled.csv');
    await scoreFile({ model: MODEL, input, output: filled, mode: 'impute' });
    const { json } = await evaluate(['--scored', filled, '--reference', SAMPLE, '--input', input]);
    expect(json['mode']).toBe('signal');
    expect(json['features']).toEqual(original[0]!.split(',').slice(1));
    expect(json['cells_filled']).toBe(gappy.slice(1).filter((l) => l.endsWith(',')).length);
    expect(json['rmse_filled'] as number).toBeGreaterThan(0);
    // only the filled cells differ from the reference, so overall RMSE is the filled RMSE diluted
    const all = json['cells'] as number;
    const expected = (json['rmse_filled'] as number) * Math.sqrt((json['cells_filled'] as number) / all);
    expect(json['rmse'] as number).toBeCloseTo(expected, 6);
    expect(json['rmse_input']).toBe(0);
  });
});
