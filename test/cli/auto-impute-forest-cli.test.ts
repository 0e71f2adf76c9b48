import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreFile } from '../../cli/commands/score';
import { parseManifestJson } from '../../core/manifest';
import { Rng } from '../../core/rng';
import { runMain } from './cli-harness';

/**
 * An auto imputer whose forest keeps both rounds (a step table: c is a step in a and b, so once the first round fills c
 * with trees, the second round fills a and b from it) trains from a CSV file and `score --mode impute` leaves
 * every observed cell byte for byte as written (trailing zeros kept), every missing cell filled.
 */
let dir: string;
let csv: string;
const original: string[][] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'residual-auto-impute-forest-'));
  const rng = new Rng(1);
  const gaps = new Rng(2);
  const lines = ['a,b,c,d'];
  for (let i = 0; i < 800; i++) {
    const a = rng.next() * 4 - 2;
    const b = rng.next() * 4 - 2;
    const c = (a > 0.3 ? 3 : -1) + (b > 1 ? 2 : 0) + 0.05 * rng.normal();
    const cells = [a, b, c, a + b + 0.3 * rng.normal()].map((v) => (gaps.next() < 0.2 ? '' : `${v.toFixed(4)}0`));
    original.push(cells);
    lines.push(cells.join(','));
  }
  csv = join(dir, 'steps.csv');
  await writeFile(csv, lines.join('\n') + '\n');
});

it('two forest rounds in the model; observed cells byte for byte, missing cells filled', async () => {
  const model = join(dir, 'model');
  const run = await runMain(['train', '-d', csv, '-o', model, '-q']);
  expect(run.code).toBe(0);
  const manifest = parseManifestJson(await readFile(join(model, 'manifest.json'), 'utf8'));
  const forest = manifest.auto!['forest'] as { columns: number[]; round2: { columns: number[] } | null };
  expect(forest.columns.length).toBeGreaterThan(0);
  expect(forest.round2?.columns.length).toBeGreaterThan(0);
  const out = join(dir, 'filled.csv');
  await scoreFile({ model, input: csv, output: out, mode: 'impute' });
  const lines = (await readFile(out, 'utf8')).trimEnd().split('\n');
  expect(lines[0]).toBe('a,b,c,d');
  expect(lines).toHaveLength(801);
  lines.slice(1).forEach((line, i) => {
    const cells = line.split(',');
    original[i]!.forEach((was, j) => {
      if (was !== '') expect(cells[j]).toBe(was);
      else expect(Number.isFinite(Number(cells[j])) && cells[j] !== '').toBe(true);
    });
  });
});
