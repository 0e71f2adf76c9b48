import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { Rng } from '../../core/rng';

let dir: string;
let stderr: string[];
const write = process.stderr.write.bind(process.stderr);
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'residual-train-guard-'));
});
beforeEach(() => {
  stderr = [];
  process.stderr.write = ((s: string) => (stderr.push(String(s)), true)) as typeof process.stderr.write;
});
afterEach(() => {
  process.stderr.write = write;
});

/** A CSV of `n` rows; each column is a function of the row index and a seeded normal draw. */
async function csv(name: string, columns: Record<string, (i: number, z: number) => string | number>, n = 120): Promise<string> {
  const rng = new Rng(11);
  const names = Object.keys(columns);
  const lines = [names.join(',')];
  for (let i = 0; i < n; i++) lines.push(names.map((c) => String(columns[c]!(i, rng.normal()))).join(','));
  const file = join(dir, name);
  await writeFile(file, lines.join('\n') + '\n');
  return file;
}

const sensors = {
  a: (_: number, z: number) => (10 + z).toFixed(4),
  b: (i: number, z: number) => (20 + Math.sin(i / 5) + 0.1 * z).toFixed(4),
  c: (i: number, z: number) => (5 + Math.cos(i / 7) + 0.1 * z).toFixed(4),
};
const train = (data: string, out: string, ...extra: string[]) =>
  main(['train', '--data', data, '--model', 'pca', '--out', join(dir, out), '--epochs', '1', '--backend', 'cpu', ...extra]);

describe('training refuses data it would silently train wrong on', () => {
  test('more than half of the columns non-numeric: refused, naming them and suggesting --columns/--exclude', async () => {
    const data = await csv('mostly-text.csv', {
      id: (i) => `id-${i}`, site: (i) => (i % 2 ? 'north' : 'south'), state: (i) => (i % 3 ? 'ok' : 'warm'), a: sensors.a,
    });
    expect(await train(data, 'm1')).toBe(1);
    const text = stderr.join('');
    expect(text).toMatch(/^residual train: 3 of 4 columns hold non-numeric values and would be left out \('id', 'site', 'state'\)/);
    expect(text).toMatch(/--columns/);
    expect(text).toMatch(/--exclude/);
    expect(text).not.toMatch(/north|south|warm|id-1/);
  });

  test('the same data trains once --columns names the features', async () => {
    const data = await csv('mostly-text-2.csv', {
      id: (i) => `id-${i}`, site: (i) => (i % 2 ? 'north' : 'south'), a: sensors.a, b: sensors.b, x: (i) => `x${i}`,
    });
    expect(await train(data, 'm1b')).toBe(1);
    expect(await train(data, 'm1c', '--columns', 'a,b')).toBe(0);
  });

  test('a column named like a label (any case) is refused unless --exclude names it', async () => {
    const data = await csv('labelled.csv', { ...sensors, Is_Anomaly: (i) => (i % 17 === 0 ? 1 : 0) });
    expect(await train(data, 'm2')).toBe(1);
    expect(stderr.join('')).toBe(
      "residual train: column(s) 'Is_Anomaly' (named like a label) look like a label or carry no information, not a feature; " +
        'leave them out with --exclude Is_Anomaly, or name the features to train on with --columns\n',
    );
    expect(await train(data, 'm2b', '--exclude', 'Is_Anomaly')).toBe(0);
  });

  test('each label name is recognised: label, target, y, class, anomaly, outlier', async () => {
    for (const name of ['label', 'TARGET', 'y', 'Class', 'anomaly', 'outlier']) {
      const data = await csv(`named-${name}.csv`, { ...sensors, [name]: (_: number, z: number) => z.toFixed(3) });
      stderr = [];
      expect(await train(data, `m-${name}`)).toBe(1);
      expect(stderr.join('')).toContain(`'${name}' (named like a label)`);
    }
  });

  test('a column constant in the training data is refused unless --columns names it', async () => {
    const data = await csv('constant.csv', { ...sensors, plant: () => 3 });
    expect(await train(data, 'm3')).toBe(1);
    expect(stderr.join('')).toMatch(/'plant' \(constant in the training data\)/);
    expect(await train(data, 'm3b', '--columns', 'a,b,c,plant')).toBe(0);
  });
});
