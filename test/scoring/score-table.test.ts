import { readTable } from '../../core/io';
import { SchemaMismatchError } from '../../core/errors';
import { emptyStats, scoreTable, type ScoredBatch, type ScoreMode } from '../../scoring/score-table';
import { createOutputEncoder } from '../../scoring/output-encoder';
import type { LoadedModel } from '../../scoring/batch-scorer';
import { bytesOf, fixedModel } from './fixtures/fixed-model';

const CSV = ['id,a,b,c', '1,0,0,0', '2,3,0,1', '3,,2,0', '4,0,0,x', '5,1,1,1', ''].join('\n');

async function run(model: LoadedModel, mode: ScoreMode, csv = CSV, chunk = Infinity) {
  const stats = emptyStats();
  const rejected: number[] = [];
  const batches: ScoredBatch[] = [];
  for await (const b of scoreTable(
    readTable(bytesOf(csv, chunk), { format: 'csv', chunkRows: 2 }),
    model,
    { mode, onRejected: (r) => rejected.push(r.line) },
    stats,
  ))
    batches.push(b);
  const encoder = createOutputEncoder('csv', 'csv', ',');
  const parts = [...batches.map((b) => encoder.batch(b)), encoder.end()];
  const text = Buffer.concat(parts.map((x) => Buffer.from(x))).toString('utf8');
  return { stats, rejected, text, lines: text.trimEnd().split('\n') };
}

describe('scoreTable', () => {
  let model: LoadedModel;
  beforeAll(async () => {
    model = await fixedModel({ features: ['a', 'b', 'c'], threshold: 2 });
  });
  afterAll(() => model.scorer.release());

  test('detect keeps every row in order, appends score, probability, flag, top features and their errors', async () => {
    const { lines } = await run(model, 'detect');
    expect(lines[0]).toBe('id,a,b,c,anomaly_score,anomaly_probability,is_anomaly,top_features,top_errors');
    expect(lines.map((l) => l.split(',')[0])).toEqual(['id', '1', '2', '3', '5']);
    // zero model: score = mean over observed cells of x^2, feature_error = x^2 (0 where missing)
    // the fixture's manifest has no probability block and an empty calibration: the probability is 1 above the threshold, else 0
    expect(lines[1]).toBe('1,0,0,0,0,0,0,a;b;c,0;0;0');
    expect(lines[2]).toBe('2,3,0,1,3.3333333,1,1,a;c;b,9;1;0');
    expect(lines[3]).toBe('3,,2,0,2,0,0,b;a;c,4;0;0');
  });

  test('a row with a non-numeric feature is rejected with its line, the others are scored', async () => {
    const { stats, rejected } = await run(model, 'detect');
    expect(rejected).toEqual([5]);
    expect(stats).toMatchObject({ rowsIn: 5, rowsOut: 4, rowsRejected: 1, anomalies: 1 });
  });

  test('impute fills only missing feature cells and leaves observed cells byte-identical', async () => {
    const { lines, stats } = await run(model, 'impute', 'id,a,b,c\n1,0.50,,7e0\n2,"1",2,3\n');
    expect(lines[1]).toBe('1,0.50,0,7e0');
    expect(lines[2]).toBe('2,"1",2,3');
    expect(stats.cellsImputed).toBe(1);
  });

  test('denoise replaces every feature cell with the reconstruction', async () => {
    const { lines } = await run(model, 'denoise', 'id,a,b,c\nx,5,6,7\n');
    expect(lines[1]).toBe('x,0,0,0');
  });

  test('a missing feature column is refused with an error naming it', async () => {
    await expect(run(model, 'detect', 'id,a,c\n1,2,3\n')).rejects.toThrow(SchemaMismatchError);
    await expect(run(model, 'detect', 'id,a,c\n1,2,3\n')).rejects.toThrow(/missing column\(s\) 'b'/);
  });

  test('embed is refused for a model without a latent space', async () => {
    await expect(run(model, 'embed')).rejects.toThrow(/latent/);
  });

  test('output does not depend on how the input bytes are chunked', async () => {
    const whole = await run(model, 'detect');
    for (const size of [1, 3, 17]) expect((await run(model, 'detect', CSV, size)).text).toBe(whole.text);
  });
});

describe('scoreTable with a windowed model', () => {
  let model: LoadedModel;
  beforeAll(async () => {
    model = await fixedModel({ features: ['a', 'b'], window: 3, threshold: 10 });
  });
  afterAll(() => model.scorer.release());

  const series = ['a,b', ...Array.from({ length: 20 }, (_, i) => `${i % 5},${(i * 7) % 3}`)].join('\n') + '\n';

  test('rows before the first full window get an empty score, probability, is_anomaly, top_features and top_errors', async () => {
    const { lines } = await run(model, 'detect', series);
    expect(lines[1]!.split(',').slice(2)).toEqual(['', '', '', '', '']);
    expect(lines[2]!.split(',').slice(2)).toEqual(['', '', '', '', '']);
    // window of rows 0..2: a = 0,1,2  b = 0,1,2 → mean of squares = (0+1+4+0+1+4)/6
    expect(Number(lines[3]!.split(',')[2])).toBeCloseTo(10 / 6, 5);
  });

  test('results do not depend on chunk boundaries (windows carry their overlap)', async () => {
    const whole = await run(model, 'detect', series);
    for (const size of [1, 5, 13]) expect((await run(model, 'detect', series, size)).text).toBe(whole.text);
    const denoised = await run(model, 'denoise', series);
    expect((await run(model, 'denoise', series, 7)).text).toBe(denoised.text);
  });
});
