import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openStdin } from '../../cli/stdio-store';
import { runMain } from './cli-harness';

const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'bin/residual.js');
const MODEL = join(ROOT, 'models/sensors');
const SAMPLE = join(ROOT, 'models/sensors-sample.csv');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'residual-stdio-'));
});

/** The real CLI in a child process, `input` piped to its stdin. */
function cli(args: string[], input: Buffer | string): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end(input);
  });
}

const run = runMain;

describe('- for stdin and stdout', () => {
  test('score -i - -o - writes the same bytes as file to file; the summary goes to stderr; evaluate --scored - reads them', async () => {
    const file = join(dir, 'scored.csv');
    expect((await run(['score', '-m', MODEL, '-i', SAMPLE, '-o', file, '-q'])).code).toBe(0);
    const input = await readFile(SAMPLE);
    const piped = await cli(['score', '-m', MODEL, '-i', '-', '-o', '-'], input);
    expect(piped.code).toBe(0);
    expect(piped.stdout.equals(await readFile(file))).toBe(true);
    const summary = JSON.parse(piped.stderr.trimEnd().split('\n').pop()!);
    expect(summary).toMatchObject({ input: '-', output: '-', rows_in: 1000, rows_out: 1000, rows_rejected: 0, errors: null });

    const labels = piped.stdout.toString('utf8').trimEnd().split('\n').slice(1).map((l) => Number(l.split(',')[11]));
    const evaluated = await cli(['evaluate', '--scored', '-', '--label-column', 'is_anomaly', '--json', '-q'], piped.stdout);
    expect(evaluated.code).toBe(0);
    expect(evaluated.stderr).toBe('');
    const report = JSON.parse(evaluated.stdout.toString('utf8'));
    expect(report).toMatchObject({ rows_in: 1000, rows_used: 1000, positives: labels.filter(Boolean).length, precision: 1, recall: 1 });
  }, 60000);

  test('stdin in JSON Lines is scored as JSON Lines; rejected rows are reported on stderr by line', async () => {
    const lines = (await readFile(SAMPLE, 'utf8')).trimEnd().split('\n');
    const header = lines[0]!.split(',');
    const rows = lines.slice(1, 21).map((l) => Object.fromEntries(l.split(',').map((v, j) => [header[j]!, j === 0 ? v : Number(v)])));
    (rows[4] as Record<string, unknown>)['sensor_3'] = 'warm';
    const piped = await cli(['score', '-m', MODEL, '-i', '-', '-o', '-'], gzipSync(rows.map((r) => JSON.stringify(r)).join('\n') + '\n'));
    expect(piped.code).toBe(0);
    const out = piped.stdout.toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(19);
    expect(typeof out[0]!['anomaly_score']).toBe('number');
    const err = piped.stderr.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(err[0]).toMatchObject({ line: 5 });
    expect(err[1]).toMatchObject({ rows_in: 20, rows_out: 19, rows_rejected: 1 });
    expect(piped.stderr).not.toContain('warm');
  }, 60000);

  test('stdin is sniffed: JSON Lines after blank lines; Parquet is refused (it needs random access)', async () => {
    const { format, gzip } = await openStdin((async function* () {
      yield Buffer.from('\n\n{"a":1}\n');
    })());
    expect([format, gzip]).toEqual(['jsonl', false]);
    await expect(openStdin((async function* () {
      yield Buffer.from('PAR1....');
    })())).rejects.toThrow(/^Parquet cannot be read from stdin \(it needs random access\)/);
  });

  test('--json with --output - is a usage error (stdout already holds the rows)', async () => {
    const r = await run(['score', '-m', MODEL, '-i', SAMPLE, '-o', '-', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^residual score: --json needs stdout, which --output - already uses/);
    expect(r.stdout).toBe('');
  });
});

describe('--json and --quiet', () => {
  test('score --json -q: stdout is the summary as one JSON object, stderr is empty', async () => {
    const out = join(dir, 'json.csv');
    const r = await run(['score', '-m', MODEL, '-i', SAMPLE, '-o', out, '--json', '-q']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const json = JSON.parse(r.stdout);
    expect(json).toEqual(JSON.parse(await readFile(`${out}.summary.json`, 'utf8')));
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
  });

  test('score without --quiet summarises on stderr and leaves stdout empty', async () => {
    const r = await run(['score', '-m', MODEL, '-i', SAMPLE, '-o', join(dir, 'plain.csv')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^scored 1000 of 1000 rows \(0 rejected, \d+ anomalies\)/);
  });

  test('train --json -q and then sample --json -q: one JSON object each, no progress', async () => {
    const data = join(dir, 'train.csv');
    const lines = (await readFile(SAMPLE, 'utf8')).trimEnd().split('\n').slice(0, 301);
    await writeFile(data, lines.join('\n') + '\n');
    const model = join(dir, 'vae');
    const argv = ['train', '-d', data, '-m', 'vae', '--exclude', 'timestamp', '-o', model, '--epochs', '2', '--backend', 'cpu'];
    const t = await run([...argv, '--json', '-q']);
    expect(t.code).toBe(0);
    expect(t.stderr).toBe('');
    const trained = JSON.parse(t.stdout);
    expect(trained).toMatchObject({ model, kind: 'vae', features: lines[0]!.split(',').slice(1), training: { data_rows: 300, epochs: 2 } });
    const s = await run(['sample', '-m', model, '--rows', '7', '-o', join(dir, 's.csv'), '--json', '-q']);
    expect([s.code, s.stderr]).toEqual([0, '']);
    expect(JSON.parse(s.stdout)).toEqual({ output: join(dir, 's.csv'), rows: 7, model: { name: trained.name, version: trained.version } });
    expect((await readFile(join(dir, 's.csv'), 'utf8')).trimEnd().split('\n')).toHaveLength(8);
  }, 60000);

  test('evaluate without --json prints its text on stdout', async () => {
    const scored = join(dir, 'ev.csv');
    await writeFile(scored, 'anomaly_score,is_anomaly,y\n0.1,0,0\n0.9,1,1\n0.2,0,0\n');
    const r = await run(['evaluate', '--scored', scored, '--label-column', 'y']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^rows: 3 read, 3 evaluated/);
    expect(r.stderr).toBe('');
  });
});
