import { gzipSync } from 'node:zlib';
import { readTable, type TableFormat } from '../../core/io';
import { byteBatches } from '../../core/io/byte-source';
import type { LoadedModel } from '../../scoring/batch-scorer';
import { csvPieces, type CsvHead, type CsvPiece } from '../../scoring/parallel/csv-pieces';
import { closeScoringWorkers } from '../../scoring/parallel/worker-pool';
import type { ScoreMode } from '../../scoring/score-table';
import { writeScoredOutput } from '../../scoring/write-scored-output';
import { bytesOf, fixedModel } from './fixtures/fixed-model';
import { messyCsv } from './fixtures/messy-csv';
import { tempStore, type TempStore } from './fixtures/scoring-run';

async function score(
  at: TempStore, model: LoadedModel, input: Uint8Array, key: string,
  opts: { threads?: number; mode?: ScoreMode; gzip?: boolean; outputFormat?: TableFormat; sessionsInWorkers?: boolean } = {},
) {
  const bytes = () => bytesOf(input, 4096);
  const where = { worker: 0, main: 0 };
  const sessionsInWorkers = opts.sessionsInWorkers;
  const onPiece = (w: 'worker' | 'main') => void where[w]++;
  const summary = await writeScoredOutput({
    chunks: readTable(bytes(), { format: 'csv', gzip: opts.gzip }),
    parallel: opts.threads
      ? { bytes: bytes(), gzip: opts.gzip, threads: opts.threads, pieceBytes: 4096, batchBytes: 2048, onPiece, sessionsInWorkers }
      : undefined,
    model,
    mode: opts.mode ?? 'detect',
    inputFormat: 'csv',
    outputFormat: opts.outputFormat ?? 'csv',
    store: at.store,
    output: { bucket: 'out', key },
    input: { uri: 'memory' },
    maxRejected: { percent: 100 },
  });
  const errors = (await at.exists('out', `${key}.errors.ndjson`)) ? await at.text('out', `${key}.errors.ndjson`) : null;
  const summaryOut = { ...summary, output: '', errors: summary.errors !== null, timings: null };
  return { summary: summaryOut, where, output: await at.bytes('out', key), errors };
}

describe('scoring in worker threads', () => {
  let model: LoadedModel;
  let windowed: LoadedModel;
  let at: TempStore;
  const input = new TextEncoder().encode(messyCsv(3000));

  beforeAll(async () => {
    model = await fixedModel({ features: ['a', 'b', 'c'], threshold: 2 });
    windowed = await fixedModel({ features: ['a', 'b', 'c'], window: 4, threshold: 2 });
    at = await tempStore();
  });
  afterAll(async () => {
    await model.scorer.release();
    await windowed.scorer.release();
    await closeScoringWorkers();
  });

  test('the pieces are whole records: concatenated they are the input, each starts on its own line number', async () => {
    const items: (CsvHead | CsvPiece)[] = [];
    for await (const item of csvPieces(byteBatches(bytesOf(input, 1000), { batchBytes: 1000 }), { pieceBytes: 2000 })) items.push(item);
    const [head, ...pieces] = items as [CsvHead, ...CsvPiece[]];
    expect(head.columns).toEqual(['id', 'a', 'b', 'note', 'c']);
    expect(pieces.length).toBeGreaterThan(50);
    expect(Buffer.concat([head.bytes, ...pieces.map((p) => p.bytes)]).equals(Buffer.from(input))).toBe(true);
    for (const p of pieces) {
      expect(p.complete).toBe(true);
      expect(p.line).toBe(1 + Buffer.from(input).subarray(0, p.offset).toString('latin1').split('\n').length - 1);
    }
  });

  test.each<[ScoreMode, TableFormat]>([['detect', 'csv'], ['impute', 'csv'], ['denoise', 'csv'], ['detect', 'jsonl']])(
    '%s → %s: byte-identical output, errors report and counts in workers as with one thread', async (mode, outputFormat) => {
      const one = await score(at, model, input, `one-${mode}.${outputFormat}`, { mode, outputFormat });
      expect(one.summary.rows_rejected).toBeGreaterThan(50);
      expect(one.summary.rows_in).toBe(one.summary.rows_out + one.summary.rows_rejected);
      // b is empty on every 13th row, c on every 11th: the workers' counts are summed into the same record
      expect(one.summary.cells_missing).toEqual({ b: expect.any(Number), c: expect.any(Number) });
      expect(one.summary.cells_missing.b).toBeGreaterThan(3000 / 13 - 30);
      // 3 workers (more than this machine's cores) once, and the model run in this thread instead of the workers' own
      // sessions; 2 elsewhere, so the pool started once serves the rest
      const runs: [number, boolean][] = mode === 'detect' && outputFormat === 'csv' ? [[3, true], [2, false], [2, true]] : [[2, true]];
      for (const [threads, sessionsInWorkers] of runs) {
        const key = `many-${mode}-${threads}-${sessionsInWorkers}.${outputFormat}`;
        const many = await score(at, model, input, key, { mode, outputFormat, threads, sessionsInWorkers });
        // every piece was scored in a worker (none again in this thread), and there were many
        expect(many.where).toEqual({ worker: expect.any(Number), main: 0 });
        expect(many.where.worker).toBeGreaterThan(20);
        expect(many.output.equals(one.output)).toBe(true);
        expect(many.errors).toBe(one.errors);
        expect(many.summary).toEqual(one.summary);
      }
    },
  );

  test('gzip input: the same bytes as one thread', async () => {
    const gz = gzipSync(input);
    const one = await score(at, model, gz, 'one-gz.csv', { gzip: true });
    const many = await score(at, model, gz, 'many-gz.csv', { gzip: true, threads: 2 });
    // gunzip hands over 16 KiB at a time: fewer, larger pieces
    expect(many.where.worker).toBeGreaterThan(5);
    expect(many.output.equals(one.output)).toBe(true);
    expect(many.summary).toEqual(one.summary);
  });

  test('a windowed model with --threads 2 stays on the one-thread path and gives the same output', async () => {
    const one = await score(at, windowed, input, 'one-win.csv');
    const many = await score(at, windowed, input, 'many-win.csv', { threads: 2 });
    expect(many.where).toEqual({ worker: 0, main: 0 });
    expect(one.summary.rows_unscored).toBeGreaterThan(0);
    expect(many.output.equals(one.output)).toBe(true);
    expect(many.summary).toEqual(one.summary);
  });

  test('an invalid UTF-8 byte in a late piece fails with the one-thread error and leaves no output', async () => {
    const bad = Buffer.concat([Buffer.from(input), Buffer.from('9999,1,2,x\xff,3\n', 'latin1')]);
    const failure = (threads?: number) => score(at, model, bad, `bad-${threads}.csv`, { threads }).then(() => null, (e: Error) => e);
    const one = await failure();
    const many = await failure(2);
    expect(one).not.toBeNull();
    expect(many?.constructor).toBe(one!.constructor);
    expect(many?.message).toBe(one!.message);
    expect(await at.exists('out', 'bad-2.csv')).toBe(false);
  });

  test('a header without the model\'s features fails as on one thread', async () => {
    const text = new TextEncoder().encode('x,y\n1,2\n');
    const one = await score(at, model, text, 'schema-1.csv').catch((e: Error) => e);
    const many = await score(at, model, text, 'schema-2.csv', { threads: 2 }).catch((e: Error) => e);
    expect(many).toBeInstanceOf((one as Error).constructor);
    expect((many as Error).message).toBe((one as Error).message);
  });
});
