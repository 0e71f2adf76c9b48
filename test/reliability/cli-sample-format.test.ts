import { access, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { main } from '../../cli/main';
import { formatFromKey } from '../../core/io';
import { FileObjectStore } from '../../storage/adapters/file-object-store';
import { openTable } from '../../storage/open-table';
import { correlatedRows } from '../training/synthetic';
import { captureStderr } from '../cli/cli-harness';

let dir: string;
let features: string[];
const stderr = captureStderr();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'residual-sample-format-'));
  const d = correlatedRows(160, 4, 7);
  features = d.features;
  const lines = [d.features.join(',')];
  for (let i = 0; i < 160; i++) lines.push(Array.from(d.values.subarray(i * 4, i * 4 + 4)).join(','));
  await writeFile(join(dir, 'train.csv'), lines.join('\n') + '\n');
  const quiet = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    const argv = ['train', '--data', join(dir, 'train.csv'), '--model', 'vae', '--out', join(dir, 'vae'), '--epochs', '1',
      '--backend', 'cpu'];
    expect(await main(argv)).toBe(0);
  } finally {
    process.stderr.write = quiet;
  }
});

/** Reads a written table back with the project's readers (format from the name), as rows of numbers. */
async function readBack(file: string): Promise<{ columns: string[]; rows: number[][] }> {
  const { format, gzip } = formatFromKey(file);
  const table = await openTable(new FileObjectStore(), { bucket: '', key: file }, { format, gzip });
  let columns: string[] = [];
  const rows: number[][] = [];
  for await (const chunk of table.chunks) {
    columns = chunk.columns;
    expect(chunk.rejected).toEqual([]);
    for (const r of chunk.rows) rows.push(r.cells.map((c) => Number(c)));
  }
  return { columns, rows };
}

const sample = (output: string, rows = 7) =>
  main(['sample', '--model', join(dir, 'vae'), '--rows', String(rows), '--output', output, '--seed', '2']);

describe('residual sample writes the format its output name asks for', () => {
  test('.parquet writes a Parquet file (magic PAR1) with the model features', async () => {
    const out = join(dir, 's.parquet');
    expect(await sample(out)).toBe(0);
    const bytes = await readFile(out);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('PAR1');
    const back = await readBack(out);
    expect(back.columns).toEqual(features);
    expect(back.rows).toHaveLength(7);
    expect(back.rows.flat().every(Number.isFinite)).toBe(true);
  });

  test('.csv.gz writes gzip-compressed CSV', async () => {
    const out = join(dir, 's.csv.gz');
    expect(await sample(out)).toBe(0);
    const bytes = await readFile(out);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    const text = gunzipSync(bytes).toString('utf8').trimEnd().split('\n');
    expect(text[0]).toBe(features.join(','));
    expect(text).toHaveLength(8);
  });

  test('.jsonl writes one JSON object per row keyed by the features', async () => {
    const out = join(dir, 's.jsonl');
    expect(await sample(out)).toBe(0);
    const objects = (await readFile(out, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(objects).toHaveLength(7);
    for (const o of objects) {
      expect(Object.keys(o)).toEqual(features);
      expect(Object.values(o).every((v) => typeof v === 'number')).toBe(true);
    }
  });

  test('.jsonl.gz writes gzip-compressed JSON Lines', async () => {
    const out = join(dir, 's.jsonl.gz');
    expect(await sample(out)).toBe(0);
    const lines = gunzipSync(await readFile(out)).toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(7);
    expect(Object.keys(JSON.parse(lines[0]!))).toEqual(features);
  });

  test('every format holds the same values as the CSV for the same seed', async () => {
    expect(await sample(join(dir, 'same.csv'))).toBe(0);
    expect(await sample(join(dir, 'same.parquet'))).toBe(0);
    const csv = await readBack(join(dir, 'same.csv'));
    const parquet = await readBack(join(dir, 'same.parquet'));
    // CSV holds the shortest text of each float32, Parquet the float32 as a double: the same float32 values
    const f32 = (rows: number[][]) => rows.map((r) => r.map(Math.fround));
    expect(f32(parquet.rows)).toEqual(f32(csv.rows));
  });

  test('an unknown extension is refused before any work, naming the supported ones, and nothing is written', async () => {
    const out = join(dir, 's.txt');
    expect(await sample(out)).toBe(1);
    expect(stderr.text()).toBe(
      "residual sample: --output '" + out + "' has no supported extension: use .csv, .csv.gz, .jsonl, .jsonl.gz or .parquet\n",
    );
    await expect(access(out)).rejects.toThrow();
  });
});
