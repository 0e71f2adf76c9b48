import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PARALLEL_MIN_BYTES, scoreFile, type ScoreCommandOptions } from '../../cli/commands/score';
import { parseScoreThreads, workerFloorFor } from '../../cli/score-threads';
import { closeScoringWorkers } from '../../scoring/parallel/worker-pool';
import { fixedModelArtifact } from '../scoring/fixtures/fixed-model';
import { messyCsv } from '../scoring/fixtures/messy-csv';
import { writeModelArtifact } from '../storage/write-model-artifact';
import { runMain } from './cli-harness';

/** `residual score --threads`: worker threads through the CLI's own scoreFile, byte for byte the one-thread output. */
describe('score --threads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'residual-threads-'));
  const rowsModel = join(dir, 'rows-model');
  const windowModel = join(dir, 'window-model');
  const input = join(dir, 'in.csv');

  beforeAll(async () => {
    await writeModelArtifact(await fixedModelArtifact({ features: ['a', 'b', 'c'], threshold: 2 }), rowsModel);
    await writeModelArtifact(await fixedModelArtifact({ features: ['a', 'b', 'c'], window: 4, threshold: 2 }), windowModel);
    writeFileSync(input, messyCsv(3000));
    writeFileSync(`${input}.gz`, gzipSync(readFileSync(input)));
  });
  afterAll(() => closeScoringWorkers());

  async function run(name: string, options: Partial<ScoreCommandOptions>) {
    const where = { worker: 0, main: 0 };
    const output = join(dir, name);
    const onPiece = (w: 'worker' | 'main') => void where[w]++;
    const summary = await scoreFile({
      model: rowsModel, input, output, maxRejected: { percent: 100 }, ...options,
      workers: { minBytes: 0, pieceBytes: 4096, batchBytes: 2048, onPiece, ...options.workers },
    });
    const errors = existsSync(`${output}.errors.ndjson`) ? readFileSync(`${output}.errors.ndjson`, 'utf8') : null;
    return { where, bytes: readFileSync(output), errors, summary: { ...summary, output: '', errors: !!summary.errors, timings: null } };
  }

  test.each([['csv', 'out.csv'], ['jsonl', 'out.jsonl'], ['csv.gz in', 'out-gz.csv']])(
    '%s: 2 threads score in workers and write the bytes, errors report and summary of 1 thread', async (label, name) => {
      const source = label.endsWith('gz in') ? { input: `${input}.gz` } : {};
      const one = await run(`one-${name}`, { ...source, threads: 1 });
      const two = await run(`two-${name}`, { ...source, threads: 2 });
      expect(one.where.worker).toBe(0);
      expect(two.where).toEqual({ worker: expect.any(Number), main: 0 });
      expect(two.where.worker).toBeGreaterThan(5);
      expect(one.summary.rows_rejected).toBeGreaterThan(50);
      expect(two.bytes.equals(one.bytes)).toBe(true);
      expect(two.errors).toBe(one.errors);
      expect(two.summary).toEqual(one.summary);
    },
  );

  test('--threads auto keeps the size floor; a number given uses the workers on a CSV of any size', async () => {
    expect(workerFloorFor(undefined)).toBeUndefined();
    expect(workerFloorFor('auto')).toBeUndefined();
    expect(workerFloorFor('2')).toEqual({ minBytes: 0 });
    const floor = await run('floor.csv', { threads: 2, workers: workerFloorFor('auto') ?? { minBytes: PARALLEL_MIN_BYTES } });
    expect(floor.where).toEqual({ worker: 0, main: 0 });
    const given = await run('given.csv', { threads: 2, workers: workerFloorFor('2') });
    expect(given.where.worker).toBeGreaterThan(5);
  });

  test('an input below the size floor stays on one thread', async () => {
    const small = await run('small.csv', { threads: 2, workers: { minBytes: 1 << 30 } });
    expect(small.where).toEqual({ worker: 0, main: 0 });
  });

  test('a windowed model gives its threads to onnxruntime on the one scoring thread, with the same bytes', async () => {
    const one = await run('win-1.csv', { model: windowModel, threads: 1 });
    const two = await run('win-2.csv', { model: windowModel, threads: 2 });
    expect(two.where).toEqual({ worker: 0, main: 0 });
    expect(two.bytes.equals(one.bytes)).toBe(true);
  });

  test('--threads takes auto (the cores this process may use) or a whole number ≥ 1', async () => {
    expect(parseScoreThreads('auto')).toBe(availableParallelism());
    expect(parseScoreThreads(undefined)).toBe(availableParallelism());
    expect(parseScoreThreads('3')).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'many', '']) {
      expect(() => parseScoreThreads(bad)).toThrow(`flag '--threads' must be an integer ≥ 1 or 'auto', got '${bad}'`);
    }
    const out = join(dir, 'cli-auto.csv');
    const ok = await runMain(['score', '-m', rowsModel, '-i', input, '-o', out, '--threads', 'auto', '--max-rejected', '100%', '-q']);
    expect(ok.code).toBe(0);
    expect(readFileSync(out).equals((await run('cli-ref.csv', { threads: 1 })).bytes)).toBe(true);
    const bad = await runMain(['score', '-m', rowsModel, '-i', input, '-o', out, '--threads', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/flag '--threads' must be an integer ≥ 1 or 'auto', got '0'/);
  });
});
