import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../core/rng';
import { runMain } from './cli-harness';

/** CSV of rows (a, b = a + noise, label = a > 0), a shifted by `shift`. */
function csv(n: number, seed: number, shift = 0): string {
  const rng = new Rng(seed);
  const lines = ['a,b,label'];
  for (let i = 0; i < n; i++) {
    const a = rng.normal() + shift;
    lines.push(`${a},${a + 0.3 * rng.normal()},${a > shift ? 1 : 0}`);
  }
  return lines.join('\n') + '\n';
}

describe('residual fidelity', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'residual-fidelity-'));
    await writeFile(join(dir, 'real.csv'), csv(300, 1));
    await writeFile(join(dir, 'train.csv'), csv(300, 2));
    await writeFile(join(dir, 'good.csv'), csv(300, 3));
    await writeFile(join(dir, 'bad.csv'), csv(300, 4, 3));
  });

  test('--json reports every part; a faithful sample scores near 0.5, a shifted one near 1', async () => {
    const args = (s: string) => [
      'fidelity', '--real', join(dir, 'real.csv'), '--synthetic', join(dir, s), '--train', join(dir, 'train.csv'),
      '--label-column', 'label', '--json',
    ];
    const good = await runMain(args('good.csv'));
    expect(good.code).toBe(0);
    const r = JSON.parse(good.stdout);
    expect(r.columns.map((c: { name: string }) => c.name)).toEqual(['a', 'b', 'label']);
    expect(r.c2st.auc).toBeLessThan(0.65);
    expect(r.utility.label).toBe('label');
    expect(r.utility.tstr_accuracy).toBeGreaterThan(0.8);
    expect(r.privacy.near_copy_share).toBeLessThan(0.05);
    expect(good.stderr).toMatch(/C2ST ROC-AUC/);
    const bad = JSON.parse((await runMain(args('bad.csv'))).stdout);
    expect(bad.c2st.auc).toBeGreaterThan(0.95);
    expect(bad.ks_mean).toBeGreaterThan(0.5);
  });

  test('a synthetic file without a compared column is refused, naming it', async () => {
    await writeFile(join(dir, 'short.csv'), 'a,label\n1,0\n2,1\n');
    const r = await runMain(['fidelity', '--real', join(dir, 'real.csv'), '--synthetic', join(dir, 'short.csv'), '--exclude', 'label']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/'b'/);
  });

  test('a --label-column that is not a column of --real is refused, naming it', async () => {
    const r = await runMain([
      'fidelity', '--real', join(dir, 'real.csv'), '--synthetic', join(dir, 'good.csv'), '--label-column', 'kind', '--exclude', 'label',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/column\(s\) not in the data: 'kind'/);
  });
});
