import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';

const SAMPLE = join(__dirname, '../../models/sensors-sample.csv');

describe('residual sample', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'residual-sample-'));
    const code = await main([
      'train',
      '--data',
      SAMPLE,
      '--model',
      'vae',
      '--exclude',
      'timestamp',
      '--out',
      join(dir, 'vae'),
      '--epochs',
      '8',
      '--backend',
      'cpu',
    ]);
    expect(code).toBe(0);
  });

  test('writes the requested number of rows with the model features, in raw units', async () => {
    const out = join(dir, 'synthetic.csv');
    expect(await main(['sample', '--model', join(dir, 'vae'), '--rows', '50', '--output', out, '--seed', '3'])).toBe(0);
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('sensor_0,sensor_1,sensor_2,sensor_3,sensor_4,sensor_5,sensor_6,sensor_7');
    expect(lines).toHaveLength(51);
    // raw units: the sensors' levels (10–50) come back, not standardised values around 0
    const means = lines[0]!.split(',').map((_, j) => lines.slice(1).reduce((a, l) => a + Number(l.split(',')[j]), 0) / 50);
    for (const m of means) expect(Math.abs(m)).toBeGreaterThan(5);
  });

  test('vae rows stay inside the training range the manifest records; --condition needs a gan', async () => {
    const manifest = JSON.parse(await readFile(join(dir, 'vae', 'manifest.json'), 'utf8'));
    const columns = manifest.synthesis.columns as { kind: string; min: number; max: number }[];
    const out = join(dir, 'ranged.csv');
    expect(await main(['sample', '--model', join(dir, 'vae'), '--rows', '200', '--output', out, '--quiet'])).toBe(0);
    for (const line of (await readFile(out, 'utf8')).trimEnd().split('\n').slice(1)) {
      line.split(',').forEach((cell, j) => {
        const c = columns[j]!;
        if (c.kind !== 'continuous') return;
        expect(Number(cell)).toBeGreaterThanOrEqual(c.min);
        expect(Number(cell)).toBeLessThanOrEqual(c.max);
      });
    }
    const write = process.stderr.write.bind(process.stderr);
    const seen: string[] = [];
    process.stderr.write = ((t: string) => (seen.push(String(t)), true)) as typeof process.stderr.write;
    try {
      expect(await main(['sample', '--model', join(dir, 'vae'), '--rows', '5', '--condition', 'sensor_0=1', '--output', out])).toBe(1);
    } finally {
      process.stderr.write = write;
    }
    expect(seen.join('')).toMatch(/--condition needs a 'gan' model/);
  });

  test('the same seed gives the same rows', async () => {
    const [a, b] = [join(dir, 'a.csv'), join(dir, 'b.csv')];
    await main(['sample', '--model', join(dir, 'vae'), '--rows', '5', '--output', a, '--seed', '9']);
    await main(['sample', '--model', join(dir, 'vae'), '--rows', '5', '--output', b, '--seed', '9']);
    expect(await readFile(a, 'utf8')).toBe(await readFile(b, 'utf8'));
  });

  test('a model that is not a vae is refused with its kind named', async () => {
    const write = process.stderr.write.bind(process.stderr);
    const seen: string[] = [];
    process.stderr.write = ((s: string) => (seen.push(String(s)), true)) as typeof process.stderr.write;
    try {
      expect(
        await main(['sample', '--model', join(__dirname, '../../models/sensors'), '--rows', '5', '--output', join(dir, 'x.csv')]),
      ).toBe(1);
    } finally {
      process.stderr.write = write;
    }
    expect(seen.join('')).toMatch(/is a 'dense-ae'; only 'vae' and 'gan' models generate rows/);
  });
});
