import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreFile } from '../../cli/commands/score';
import { readTable } from '../../core/io';
import { parseManifestJson } from '../../core/manifest';
import { Rng } from '../../core/rng';
import { runMain } from './cli-harness';

/**
 * `residual train` without --model on an incomplete table builds the auto imputer (and says so), and
 * `score --mode impute --impute-flags` writes imputed_<col> and <col>_std beside byte-identical observed cells,
 * in CSV, JSON Lines and Parquet.
 */
const FEATURES = ['a', 'b', 'c', 'd'];
let dir: string;
let csv: string;
let original: string[][];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'residual-auto-impute-'));
  const rng = new Rng(7);
  const lines = ['id,a,b,c,d'];
  original = [];
  for (let i = 0; i < 240; i++) {
    const z = rng.normal();
    const cells = [z, 2 * z + 0.1 * rng.normal(), -z + 0.2 * rng.normal(), rng.normal()].map((v, j) =>
      rng.next() < 0.15 ? '' : j === 0 ? `${v.toFixed(2)}0` : String(v));
    if (i === 5) cells.fill('');
    original.push(cells);
    lines.push([`r${i}`, ...cells].join(','));
  }
  csv = join(dir, 'gappy.csv');
  await writeFile(csv, lines.join('\n') + '\n');
});

describe('train routes an incomplete table to the auto imputer', () => {
  it('says so, prints per-column quality and records it in the manifest', async () => {
    const out = join(dir, 'model');
    const run = await runMain(['train', '-d', csv, '-o', out, '--exclude', 'id', '-q']);
    expect(run.code).toBe(0);
    const manifest = parseManifestJson(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.kind).toBe('auto');
    expect(manifest.imputation?.columns.map((c) => c.name)).toEqual(FEATURES);
    const loud = await runMain(['train', '-d', csv, '-o', join(dir, 'model2'), '--exclude', 'id']);
    expect(loud.stderr).toMatch(/auto: .* % of the feature cells are missing .*the imputer/);
    expect(loud.stderr).toMatch(/imputer, per column \(validation on \d+ held-out cells\):\n {2}a: /);
    const detect = await runMain(['train', '-d', csv, '-o', join(dir, 'model3'), '--exclude', 'id', '--task', 'detect', '-q']);
    expect(detect.code).toBe(0);
    expect(parseManifestJson(await readFile(join(dir, 'model3', 'manifest.json'), 'utf8')).imputation).toBeUndefined();
  });
});

describe('score --mode impute --impute-flags', () => {
  it('CSV: flags and sds per filled cell, observed cells byte for byte', async () => {
    const out = join(dir, 'filled.csv');
    const summary = await scoreFile({ model: join(dir, 'model'), input: csv, output: out, mode: 'impute', imputeFlags: true });
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n');
    const added = [...FEATURES.map((c) => `imputed_${c}`), ...FEATURES.map((c) => `${c}_std`)];
    expect(lines[0]).toBe(`id,${FEATURES.join(',')},${added.join(',')}`);
    let filled = 0;
    lines.slice(1).forEach((line, i) => {
      const cells = line.split(',');
      expect(cells[0]).toBe(`r${i}`);
      for (let j = 0; j < 4; j++) {
        const was = original[i]![j]!;
        if (was !== '') {
          expect(cells[1 + j]).toBe(was);
          expect(cells[5 + j]).toBe('0');
          expect(cells[9 + j]).toBe('');
        } else {
          filled++;
          expect(Number.isFinite(Number(cells[1 + j]))).toBe(true);
          expect(cells[5 + j]).toBe('1');
          expect(Number(cells[9 + j])).toBeGreaterThanOrEqual(0);
          expect(cells[9 + j]).not.toBe('');
        }
      }
    });
    expect(summary.cells_imputed).toBe(filled);
    expect(summary.rows_out).toBe(240);
  });

  it('JSON Lines and Parquet carry the same columns (imputed_ as integers)', async () => {
    for (const format of ['jsonl', 'parquet'] as const) {
      const out = join(dir, `filled.${format}`);
      await scoreFile({ model: join(dir, 'model'), input: csv, output: out, mode: 'impute', imputeFlags: true });
      let i = 0;
      for await (const chunk of readTable(createReadStream(out), { format })) {
        const at = (name: string): number => chunk.columns.indexOf(name);
        expect(at('imputed_a')).toBeGreaterThan(0);
        expect(at('d_std')).toBeGreaterThan(0);
        for (const row of chunk.rows) {
          for (const c of FEATURES) {
            const missing = original[i]![FEATURES.indexOf(c)] === '';
            expect(Number(row.cells[at(`imputed_${c}`)])).toBe(missing ? 1 : 0);
            expect(row.cells[at(`${c}_std`)] === null).toBe(!missing);
          }
          i++;
        }
      }
      expect(i).toBe(240);
    }
  });

  it('is refused outside mode impute', async () => {
    await expect(scoreFile({ model: join(dir, 'model'), input: csv, output: join(dir, 'x.csv'), mode: 'detect', imputeFlags: true }))
      .rejects.toThrow(/impute flags need mode 'impute'/);
  });
});
