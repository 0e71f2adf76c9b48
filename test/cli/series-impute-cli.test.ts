import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreFile } from '../../cli/commands/score';
import { parseManifestJson } from '../../core/manifest';
import { Rng } from '../../core/rng';
import { runMain } from './cli-harness';

/**
 * `residual train --time-column t` on a series with gaps builds the series imputer (no --task needed); `score --mode
 * impute` fills along time with observed cells byte for byte, every row out in its state, --impute-flags with the
 * gap-class sd, rows with a bad timestamp rejected and not used as neighbours, and a series state refused.
 */
const N = 400;
let dir: string;
let csv: string;
let truth: number[][];
let cells: string[][];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'residual-series-impute-'));
  const rng = new Rng(11);
  truth = [];
  cells = [];
  const lines = ['t,a,b'];
  for (let i = 0; i < N; i++) {
    const a = 5 + 2 * Math.sin((2 * Math.PI * i) / 50) + 0.05 * rng.normal();
    const b = 3 * a + 0.1 * rng.normal();
    truth.push([a, b]);
    const row = [a, b].map((v) => (rng.next() < 0.12 || (i >= 200 && i < 215) ? '' : v.toFixed(4)));
    if (i === 0 || i === N - 1) row[0] = '';
    cells.push(row);
    // irregular steps: every 10th step is three minutes, the others one
    const t = new Date(Date.UTC(2026, 0, 1) + 60_000 * (i + 2 * Math.floor(i / 10))).toISOString();
    lines.push([t, ...row].join(','));
  }
  csv = join(dir, 'series.csv');
  await writeFile(csv, lines.join('\n') + '\n');
  const run = await runMain(['train', '-d', csv, '--time-column', 't', '-o', join(dir, 'model')]);
  expect(run.code).toBe(0);
  expect(run.stderr).toMatch(/auto: .* % of the feature cells are missing .*the series imputer/);
  expect(run.stderr).toMatch(/series fill along the time column \(look-ahead 256 rows; \d+ held-out cells/);
});

describe('series imputer through the CLI', () => {
  it('records the time column and the series block', async () => {
    const m = parseManifestJson(await readFile(join(dir, 'model', 'manifest.json'), 'utf8'));
    expect(m.time_column).toBe('t');
    expect(m.imputation?.['series']).toMatchObject({ look_ahead_rows: 256, time_basis: 'timestamps' });
  });

  it('fills every missing cell close to the truth, observed cells byte for byte, flags and sds per filled cell', async () => {
    const out = join(dir, 'filled.csv');
    const summary = await scoreFile({ model: join(dir, 'model'), input: csv, output: out, mode: 'impute', imputeFlags: true });
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('t,a,b,imputed_a,imputed_b,a_std,b_std');
    expect(lines).toHaveLength(N + 1);
    let filled = 0;
    let se = 0;
    lines.slice(1).forEach((line, i) => {
      const c = line.split(',');
      for (let j = 0; j < 2; j++) {
        if (cells[i]![j] !== '') {
          expect(c[1 + j]).toBe(cells[i]![j]);
          expect(c[3 + j]).toBe('0');
          expect(c[5 + j]).toBe('');
        } else {
          filled++;
          expect(c[3 + j]).toBe('1');
          expect(Number(c[5 + j])).toBeGreaterThan(0);
          se += ((Number(c[1 + j]) - truth[i]![j]!) / (j === 0 ? 1 : 3)) ** 2;
        }
      }
    });
    expect(summary.cells_imputed).toBe(filled);
    expect(summary.rows_in).toBe(N);
    expect(summary.rows_out).toBe(N);
    // a sine of amplitude 2 (sd 1.4), with a 15-row gap in both columns: the fills are within a fifth of its sd
    expect(Math.sqrt(se / filled)).toBeLessThan(0.3);
  });

  it('rejects a row with a bad timestamp (counted, not used as a neighbour) and keeps rows_in = rows_out + rows_rejected', async () => {
    const text = (await readFile(csv, 'utf8')).split('\n');
    text[101] = `not-a-time,${text[101]!.split(',').slice(1).join(',')}`;
    const bad = join(dir, 'bad-time.csv');
    await writeFile(bad, text.join('\n'));
    const summary = await scoreFile({ model: join(dir, 'model'), input: bad, output: join(dir, 'bad-out.csv'), mode: 'impute' });
    expect(summary.rows_rejected).toBe(1);
    expect(summary.rows_in).toBe(summary.rows_out + summary.rows_rejected);
  });

  it('a row rejected for a feature value (its time was accepted) is scored as if it were not in the input', async () => {
    const text = (await readFile(csv, 'utf8')).split('\n');
    const c = text[101]!.split(',');
    c[1] = 'abc';
    const bad = [...text];
    bad[101] = c.join(',');
    await writeFile(join(dir, 'bad-value.csv'), bad.join('\n'));
    await writeFile(join(dir, 'without.csv'), text.filter((_, i) => i !== 101).join('\n'));
    const a = await scoreFile({ model: join(dir, 'model'), input: join(dir, 'bad-value.csv'), output: join(dir, 'a.csv'), mode: 'impute' });
    const b = await scoreFile({ model: join(dir, 'model'), input: join(dir, 'without.csv'), output: join(dir, 'b.csv'), mode: 'impute' });
    expect(a.rows_rejected).toBe(1);
    expect(a.rows_in).toBe(a.rows_out + a.rows_rejected);
    expect(a.cells_imputed).toBe(b.cells_imputed);
    expect(await readFile(join(dir, 'a.csv'), 'utf8')).toBe(await readFile(join(dir, 'b.csv'), 'utf8'));
  });

  it('--task detect on the same series goes to the time-series detector (which needs complete windows this series lacks)', async () => {
    const run = await runMain(['train', '-d', csv, '--time-column', 't', '--task', 'detect', '-o', join(dir, 'det'), '-q']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/auto for a time series found fewer than 2 complete training windows/);
  });
});
