import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifestJson } from '../../core/manifest';
import { runMain } from '../cli/cli-harness';

/**
 * `residual train` with a time column (here the `--config` key `timeColumn`) and no model trains auto-series,
 * prints its choices, scores per row through `score`, and warns (not refuses) on a constant series.
 */
function csv(values: number[]): string {
  const t0 = Date.UTC(2020, 0, 1);
  const rows = values.map((v, i) => `${new Date(t0 + 300_000 * i).toISOString().slice(0, 19).replace('T', ' ')},${v}`);
  return `timestamp,value\n${rows.join('\n')}\n`;
}

describe('residual train with a time column', () => {
  it('trains auto-series, prints what it chose and scores every row after the first window', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'residual-series-'));
    const values = Array.from({ length: 300 }, (_, i) => 10 + Math.sin(i / 5) + 0.05 * Math.cos(i * 1.7));
    await writeFile(join(dir, 'train.csv'), csv(values));
    await writeFile(join(dir, 'cfg.json'), JSON.stringify({ timeColumn: 'timestamp' }));
    const trained = await runMain(['train', '--data', join(dir, 'train.csv'), '--config', join(dir, 'cfg.json'), '--out', join(dir, 'm'),
      '--backend', 'cpu']);
    expect(trained.code).toBe(0);
    expect(trained.stderr).toMatch(/auto chose: .*detector nearest training window at 3 scale\(s\) \(8, 16, 32 rows\), newest-step error, plus the row 31 rows back; window_reason /);
    const m = parseManifestJson(await readFile(join(dir, 'm', 'manifest.json'), 'utf8'));
    expect(m).toMatchObject({ kind: 'auto', layout: 'windows', time_column: 'timestamp', features: ['value'] });
    const scored = await runMain(['score', '--model', join(dir, 'm'), '--input', join(dir, 'train.csv'), '--output', join(dir, 'out.csv')]);
    expect(scored.code).toBe(0);
    const rows = (await readFile(join(dir, 'out.csv'), 'utf8')).trim().split('\n').slice(1).map((l) => l.split(','));
    expect(rows).toHaveLength(300);
    const t = m.window!.size;
    expect(rows.slice(0, t - 1).every((r) => r[2] === '')).toBe(true);
    expect(rows.slice(t - 1).every((r) => Number.isFinite(Number(r[2])) && r[2] !== '')).toBe(true);
  });

  it('scores the seasonal model in 10 pieces with --state as at once (flags and names equal, scores to float32 rounding)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'residual-series-'));
    // a period of 60 rows: the graph reads about 61 rows (the seasonal member), longer than the 40-row pieces and than 2w = 32
    const values = Array.from({ length: 400 }, (_, i) =>
      10 + Math.sin((2 * Math.PI * i) / 60) + 0.05 * Math.cos(i * 1.7) + (i === 330 ? 3 : 0));
    await writeFile(join(dir, 'train.csv'), csv(values.slice(0, 200)));
    const all = csv(values).trimEnd().split('\n');
    await writeFile(join(dir, 'all.csv'), `${all.join('\n')}\n`);
    await writeFile(join(dir, 'cfg.json'), JSON.stringify({ timeColumn: 'timestamp' }));
    const m = join(dir, 'm');
    expect((await runMain(['train', '--data', join(dir, 'train.csv'), '--config', join(dir, 'cfg.json'), '--out', m, '-q'])).code).toBe(0);
    const manifest = parseManifestJson(await readFile(join(m, 'manifest.json'), 'utf8'));
    const period = (manifest.auto?.['seasonal'] as { period: number }).period;
    expect(Math.abs(period - 60)).toBeLessThanOrEqual(1);
    expect(manifest.window!.size).toBe(period + 1);
    const once = await runMain(['score', '--model', m, '--input', join(dir, 'all.csv'), '--output', join(dir, 'whole.csv'), '-q']);
    expect(once.code).toBe(0);
    const pieces: string[] = [];
    for (let p = 0; p < 10; p++) {
      await writeFile(join(dir, `p${p}.csv`), `${all[0]}\n${all.slice(1 + p * 40, 1 + (p + 1) * 40).join('\n')}\n`);
      const r = await runMain(['score', '--model', m, '--input', join(dir, `p${p}.csv`), '--output', join(dir, `o${p}.csv`),
        '--state', join(dir, 'state.json'), '-q']);
      expect(r.code).toBe(0);
      pieces.push(...(await readFile(join(dir, `o${p}.csv`), 'utf8')).trim().split('\n').slice(1));
    }
    const whole = (await readFile(join(dir, 'whole.csv'), 'utf8')).trim().split('\n').slice(1);
    expect(pieces).toHaveLength(whole.length);
    const cells = (rows: string[]): string[][] => rows.map((l) => l.split(','));
    const [a, b] = [cells(pieces), cells(whole)];
    for (let i = 0; i < whole.length; i++) {
      expect([a[i]![0], a[i]![4], a[i]![5]]).toEqual([b[i]![0], b[i]![4], b[i]![5]]);
      for (const c of [2, 3]) {
        if (b[i]![c] === '') expect(a[i]![c]).toBe('');
        else expect(Math.abs(Number(a[i]![c]) - Number(b[i]![c]))).toBeLessThanOrEqual(1e-4 * Math.max(1, Number(b[i]![c])));
      }
    }
    // the 3-unit jump at row 330 raises an alarm in both
    expect(b.slice(330, 340).some((r) => r[4] === '1')).toBe(true);
  });

  it('trains a constant series with a warning on stderr', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'residual-series-'));
    await writeFile(join(dir, 'flat.csv'), csv(new Array<number>(100).fill(3)));
    await writeFile(join(dir, 'cfg.json'), JSON.stringify({ timeColumn: 'timestamp' }));
    const r = await runMain(['train', '--data', join(dir, 'flat.csv'), '--config', join(dir, 'cfg.json'), '--out', join(dir, 'm'),
      '--backend', 'cpu']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/train: constant training values in 1 of 1 feature\(s\) \(value\)/);
  });

  it('refuses a series shorter than the minimum with exit 1 and the rows it needs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'residual-series-'));
    await writeFile(join(dir, 'short.csv'), csv([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    await writeFile(join(dir, 'cfg.json'), JSON.stringify({ timeColumn: 'timestamp' }));
    const r = await runMain(['train', '--data', join(dir, 'short.csv'), '--config', join(dir, 'cfg.json'), '--out', join(dir, 'm'),
      '--backend', 'cpu']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/needs at least 32 training rows, got 10/);
  });
});
