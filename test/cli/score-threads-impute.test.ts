import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreFile } from '../../cli/commands/score';
import { Rng } from '../../core/rng';
import { closeScoringWorkers } from '../../scoring/parallel/worker-pool';
import { runMain } from './cli-harness';

/**
 * `--threads 2` writes the bytes of `--threads 1` with a real model whose float32 results onnxruntime computes
 * differently at different offsets in a batch (the `auto` imputer): before rows sat at positions fixed by their line
 * (scoring/aligned-row-batch.ts), a piece boundary moved the rows after it and filled cells differed in the last digit.
 */
describe('score --threads with an auto imputer: impute and detect bytes as on one thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'residual-threads-impute-'));
  const model = join(dir, 'model');
  const input = join(dir, 'in.csv');
  const f = 50;

  beforeAll(async () => {
    const rng = new Rng(3);
    const lines = [Array.from({ length: f }, (_, j) => `x${j}`).join(',')];
    const clean = [lines[0]!];
    for (let i = 0; i < 3000; i++) {
      const z = [rng.normal(), rng.normal()];
      const row = Array.from({ length: f }, (_, j) => z[0]! * Math.cos(j) + z[1]! * Math.sin(j) + 0.3 * rng.normal());
      lines.push(row.map((v) => (rng.next() < 0.2 ? '' : v.toFixed(5))).join(','));
      clean.push(lines[lines.length - 1]!);
      // a blank line and a rejected row now and then: rows whose line numbers are not consecutive
      if (i % 997 === 5) lines.push('');
      if (i % 1301 === 7) lines.push(Array.from({ length: f }, () => 'x').join(','));
    }
    writeFileSync(input, lines.join('\n') + '\n');
    writeFileSync(join(dir, 'train.csv'), clean.join('\n') + '\n');
    const run = await runMain(['train', '-d', join(dir, 'train.csv'), '--task', 'impute', '-o', model, '-q']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  }, 120_000);
  afterAll(() => closeScoringWorkers());

  test.each(['impute', 'detect'] as const)('%s: 1 thread and 2 threads (many pieces) write the same bytes', async (mode) => {
    const out = (threads: number) => join(dir, `${mode}-${threads}.csv`);
    const pieces = { worker: 0 };
    for (const threads of [1, 2]) {
      await scoreFile({
        model, input, output: out(threads), mode, threads, maxRejected: { percent: 100 },
        workers: { minBytes: 0, pieceBytes: 30_000, onPiece: (w) => void (w === 'worker' && pieces.worker++) },
      });
    }
    expect(pieces.worker).toBeGreaterThan(10);
    const [one, two] = [readFileSync(out(1)), readFileSync(out(2))];
    expect(one.length).toBeGreaterThan(100_000);
    const lines = (b: Buffer) => b.toString('utf8').split('\n');
    const differ = lines(one).filter((l, i) => l !== lines(two)[i]).length;
    expect(differ).toBe(0);
    expect(two.equals(one)).toBe(true);
  }, 120_000);
});
