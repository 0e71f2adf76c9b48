import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreFile } from '../../cli/commands/score';
import { InputError, loadModel, score, train, UnknownModelError, type TrainedModel } from '../../lib';
import { tableChunks } from '../../lib/table-input';
import { trainingTable } from '../../lib/training-table';

/** Three correlated signals and a text column, seeded: c ≈ a + b. */
function plant(n: number, seed = 7): { t: string; a: number; b: number; c: number }[] {
  let s = seed;
  const noise = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 0.05;
  return Array.from({ length: n }, (_, i) => {
    const a = Math.sin(i / 7) + noise();
    const b = Math.cos(i / 11) + noise();
    return { t: `2026-01-01T00:${String(i % 60).padStart(2, '0')}`, a, b, c: a + b + noise() };
  });
}

const toCsv = (rows: Record<string, unknown>[]) => {
  const cells = rows.map((r) => Object.values(r).map((v) => (v === null ? '' : String(v))).join(','));
  return [Object.keys(rows[0]!).join(','), ...cells].join('\n') + '\n';
};

let dir: string;
let pca: TrainedModel;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'residual-lib-'));
  pca = await train(plant(400), { kind: 'pca', exclude: ['t'], seed: 3, modelConfig: { components: 2 } });
});
afterAll(async () => {
  await pca?.close();
});

describe('in-memory tables', () => {
  test('records: the columns are every key in first-seen order; NaN, null and absent keys are missing cells', () => {
    const [chunk] = tableChunks([{ a: 1, b: NaN }, { c: '2.5', a: null }]);
    expect(chunk!.columns).toEqual(['a', 'b', 'c']);
    expect(chunk!.rows.map((r) => [r.line, ...r.cells])).toEqual([[1, '1', null, null], [2, null, null, '2.5']]);
  });

  test('a row of the wrong length, a cell of another type and duplicate names are refused, naming row and column', () => {
    expect(() => tableChunks({ columns: ['a', 'b'], rows: [[1, 2], [3]] })).toThrow(/row 1 has 1 cells, the table has 2 columns/);
    expect(() => tableChunks([{ a: 1 }, { a: true as unknown as number }])).toThrow(/row 1, column 'a': .*got a boolean/);
    expect(() => tableChunks({ columns: ['a', 'a'], rows: [] })).toThrow(InputError);
  });

  test('training rows: exclude and columns are checked; rows with a non-numeric feature are counted out', () => {
    const rows = [{ t: 'x', a: 1, b: 2 }, { t: 'y', a: 'oops', b: 3 }, { t: 'z', a: 4, b: null }];
    const table = trainingTable(rows, { exclude: ['t'] });
    expect(table.features).toEqual(['a', 'b']);
    expect([table.rowsIn, table.rowsRejected]).toEqual([3, 1]);
    expect(Array.from(table.values)).toEqual([1, 2, 4, NaN]);
    expect(() => trainingTable(rows, { exclude: ['nope'] })).toThrow(/columns not in the table: 'nope'/);
    expect(() => trainingTable(rows, {})).toThrow(/no row of 3 has numeric values in every feature column \(t, a, b\)/);
  });
});

describe('train, save, loadModel, score', () => {
  test('the trained model records what it was trained on, and saves an artifact loadModel opens', async () => {
    expect(pca.manifest).toMatchObject({ kind: 'pca', name: 'pca', features: ['a', 'b', 'c'], layout: 'rows', latent_dim: 2 });
    expect(pca.data).toEqual({ rowsIn: 400, rowsRejected: 0, droppedColumns: [] });
    const out = join(dir, 'pca-model');
    await pca.save(out);
    const loaded = await loadModel(out);
    try {
      expect(loaded.manifest).toEqual(pca.manifest);
      const rows = plant(50, 99);
      const [a, b] = [await pca.score(rows), await loaded.score(rows)];
      expect(b.rows.map((r) => r.anomalyScore)).toEqual(a.rows.map((r) => r.anomalyScore));
    } finally {
      await loaded.close();
    }
  });

  test('detect on rows: same numbers as residual score writes; a broken row is rejected, a spike flagged', async () => {
    const rows: Record<string, number | string | null>[] = plant(60, 5);
    rows[10] = { ...rows[10]!, c: 9 };
    rows[20] = { ...rows[20]!, b: 'n/a' };
    const result = await pca.score(rows);
    expect([result.rowsIn, result.rowsOut, result.rowsRejected]).toEqual([60, 59, 1]);
    expect(result.rejected).toEqual([{ line: 21, index: 20, reason: "non-numeric value in column 'b' on line 21" }]);
    expect(result.rows.map((r) => r.index)).toEqual([...Array(60).keys()].filter((i) => i !== 20));
    const infinite = await pca.score([{ a: Infinity, b: 0, c: 0 }, { a: 0, b: 0, c: -Infinity }]);
    const named = [[0, expect.stringContaining("'a'")], [1, expect.stringContaining("'c'")]];
    expect(infinite.rejected.map((r) => [r.index, r.reason])).toEqual(named);
    const spike = result.rows.find((r) => r.index === 10)!;
    expect(spike).toMatchObject({ isAnomaly: true, topFeatures: expect.arrayContaining(['c']) });
    expect(spike.anomalyScore!).toBeGreaterThan(pca.manifest.threshold.value);
    expect(result.anomalies).toBe(result.rows.filter((r) => r.isAnomaly).length);

    const input = join(dir, 'detect.csv');
    await writeFile(input, toCsv(rows));
    const model = join(dir, 'pca-model');
    const summary = await scoreFile({ model, input, output: join(dir, 'detect-out.csv') });
    const cli = (await readFile(join(dir, 'detect-out.csv'), 'utf8')).trimEnd().split('\n').slice(1).map((l) => l.split(','));
    expect(summary).toMatchObject({ rows_in: 60, rows_out: 59, rows_rejected: 1, anomalies: result.anomalies });
    expect(cli.map((c) => Math.fround(Number(c[4])))).toEqual(result.rows.map((r) => Math.fround(r.anomalyScore!)));
    expect(cli.map((c) => Math.fround(Number(c[5])))).toEqual(result.rows.map((r) => Math.fround(r.anomalyProbability!)));
    expect(cli.map((c) => c[7])).toEqual(result.rows.map((r) => r.topFeatures.join(';')));
    expect(cli.map((c) => c[8])).toEqual(result.rows.map((r) => r.topErrors.map(String).join(';')));
    expect(result.rows.every((r) => r.topErrors.length === r.topFeatures.length)).toBe(true);
    expect(cli.map((c) => c[6])).toEqual(result.rows.map((r) => (r.isAnomaly ? '1' : '0')));
    const fromFile = await pca.score(input);
    expect(fromFile.rows.map((r) => [r.line, r.index, r.anomalyScore])).toEqual(result.rows.map((r) => [r.line + 1, null, r.anomalyScore]));
  });

  test('impute fills only missing feature cells; denoise replaces every one; embed gives latent_dim coordinates', async () => {
    const rows = { columns: ['a', 'b', 'c'], rows: [[0.5, null, 1.25], [0.1, 0.2, 0.3]] };
    const imputed = await pca.score(rows, { mode: 'impute' });
    expect(imputed.cellsImputed).toBe(1);
    expect(imputed.rows[0]).toMatchObject({ index: 0, imputed: ['b'], values: { a: 0.5, c: 1.25 } });
    expect(Number.isFinite(imputed.rows[0]!.values['b'])).toBe(true);
    expect(imputed.rows[1]).toEqual({ line: 2, index: 1, imputed: [], values: { a: 0.1, b: 0.2, c: 0.3 } });
    const denoised = await pca.score(rows, { mode: 'denoise' });
    expect(denoised.rows[1]!.values['a']).not.toBe(0.1);
    expect(Object.values(denoised.rows[1]!.values).every(Number.isFinite)).toBe(true);
    const embedded = await pca.score(rows, { mode: 'embed' });
    expect(embedded.rows.map((r) => r.latent?.length)).toEqual([2, 2]);
  });

  test('windowed models: rows before the first complete window are unscored, with the CLI\'s is_anomaly', async () => {
    const windowed = await train(plant(300), { kind: 'pca', exclude: ['t'], window: 4, modelConfig: { components: 2 } });
    try {
      expect(windowed.manifest.window).toEqual({ size: 4, stride: 1 });
      const rows = plant(10, 11);
      const result = await windowed.score(rows);
      expect([result.rowsOut, result.rowsUnscored]).toEqual([10, 3]);
      expect(result.rows.slice(0, 3).map((r) => [r.anomalyScore, r.topFeatures])).toEqual([[null, []], [null, []], [null, []]]);
      expect(result.rows.slice(3).every((r) => Number.isFinite(r.anomalyScore) && typeof r.isAnomaly === 'boolean')).toBe(true);
      await windowed.save(join(dir, 'windowed'));
      await writeFile(join(dir, 'windowed.csv'), toCsv(rows));
      await scoreFile({ model: join(dir, 'windowed'), input: join(dir, 'windowed.csv'), output: join(dir, 'windowed-out.csv') });
      const flags = (await readFile(join(dir, 'windowed-out.csv'), 'utf8')).trimEnd().split('\n').slice(1).map((l) => l.split(',')[6]);
      expect(result.rows.map((r) => (r.isAnomaly === null ? '' : r.isAnomaly ? '1' : '0'))).toEqual(flags);
    } finally {
      await windowed.close();
    }
  });

  test('train on a file reads it as the CLI does: non-numeric columns left out, name from the file', async () => {
    const file = join(dir, 'plant-a.csv');
    await writeFile(file, toCsv(plant(200)));
    const m = await train(file, { kind: 'pca' });
    try {
      expect(m.manifest).toMatchObject({ name: 'plant-a', features: ['a', 'b', 'c'] });
      expect(m.data).toEqual({ rowsIn: 200, rowsRejected: 0, droppedColumns: ['t'] });
    } finally {
      await m.close();
    }
  });

  test('score() streams file to file like residual score; bad options and missing models fail loudly', async () => {
    const input = join(dir, 'stream.csv');
    await writeFile(input, toCsv(plant(30, 2)));
    const summary = await score({ model: join(dir, 'pca-model'), input, output: join(dir, 'stream-out.jsonl'), mode: 'embed' });
    expect(summary).toMatchObject({ rows_in: 30, rows_out: 30, rows_rejected: 0, mode: 'embed' });
    const first = JSON.parse((await readFile(join(dir, 'stream-out.jsonl'), 'utf8')).split('\n')[0]!);
    expect(Object.keys(first)).toEqual(['t', 'a', 'b', 'c', 'z0', 'z1']);
    const bogus = score({ model: join(dir, 'pca-model'), input, output: join(dir, 'x.csv'), mode: 'bogus' as 'detect' });
    await expect(bogus).rejects.toThrow(InputError);
    const nope = pca.score([{ a: 1, b: 2, c: 3 }], { mode: 'nope' as 'detect' });
    await expect(nope).rejects.toThrow(/mode must be one of detect, impute, denoise, embed/);
    await expect(loadModel(join(dir, 'no-such-model'))).rejects.toThrow(UnknownModelError);
    await expect(pca.score([{ a: 1, b: 2 }])).rejects.toThrow(/missing column\(s\) 'c'/);
  });
});
