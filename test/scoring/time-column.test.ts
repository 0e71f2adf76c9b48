import { SchemaMismatchError } from '../../core/errors';
import { UsageError } from '../../core/usage-error';
import type { LoadedModel } from '../../scoring/batch-scorer';
import { resolveTimeColumn } from '../../scoring/time-column';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { readParquetTable } from '../../core/io';
import { writeScoredOutput } from '../../scoring/write-scored-output';
import { bufferSource } from '../reliability/io-helpers';
import { fixedModel } from './fixtures/fixed-model';
import { scoreText, tempStore, type TempStore } from './fixtures/scoring-run';

const minute = (i: number) => new Date(Date.UTC(2014, 1, 14, 0, i)).toISOString().replace('T', ' ').slice(0, 19);

describe('scoring with a time column', () => {
  let at: TempStore;
  let rows: LoadedModel;
  let windowed: LoadedModel;
  beforeAll(async () => {
    at = await tempStore();
    rows = await fixedModel({ features: ['a', 'b'], threshold: 2 });
    windowed = await fixedModel({ features: ['a', 'b'], window: 4, threshold: 2 });
  });
  afterAll(async () => {
    await rows.scorer.release();
    await windowed.scorer.release();
  });

  const score = (model: LoadedModel, text: string, key: string, timeColumn: string | null = 'ts', fromFlag = false) =>
    scoreText(at, model, text, key, { extra: { timeColumn, timeColumnFromFlag: fromFlag, maxRejected: { count: 10 } } });

  test('the time column is kept unchanged, before the appended columns, and is no feature', async () => {
    const text = `ts,a,b\n${minute(0)},0,1\n${minute(1)},2,0\n`;
    await score(rows, text, 'keep.csv');
    const lines = (await at.text('out', 'keep.csv')).trimEnd().split('\n');
    expect(lines[0]).toBe('ts,a,b,anomaly_score,anomaly_probability,is_anomaly,top_features,top_errors');
    expect(lines[1]).toBe(`${minute(0)},0,1,0.5,0,0,b;a,1;0`);
    expect(lines[2]).toBe(`${minute(1)},2,0,2,0,0,a;b,4;0`);
  });

  test('missing, unparseable, out-of-order and duplicate timestamps are rejected rows with their codes and lines', async () => {
    const text = [
      'ts,a,b', `${minute(0)},0,0`, `${minute(2)},0,0`, `${minute(1)},0,0`, `${minute(2)},0,0`, 'soon,0,0', ',0,0', `${minute(3)},0,0`,
    ].join('\n') + '\n';
    const summary = await score(rows, text, 'bad.csv');
    expect(summary).toMatchObject({ rows_in: 7, rows_out: 3, rows_rejected: 4 });
    expect(summary.rows_in).toBe(summary.rows_out + summary.rows_rejected);
    const errors = (await at.text('out', 'bad.csv.errors.ndjson')).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(errors.map((e) => [e.line, e.reason.split(':')[0]])).toEqual([
      [4, 'TIME_OUT_OF_ORDER'], [5, 'TIME_DUPLICATE'], [6, 'TIME_UNPARSEABLE'], [7, 'TIME_MISSING'],
    ]);
    // the reason names the column and the line, never the cell
    for (const e of errors) expect(e.reason).toMatch(/in column 'ts' on line \d+$/);
    expect(JSON.stringify(errors)).not.toMatch(/soon|2014/);
    expect(Object.keys(summary.rejected_reasons).sort()).toEqual([
      'TIME_DUPLICATE: timestamp equal to the row before it in column',
      'TIME_MISSING: no timestamp in column',
      'TIME_OUT_OF_ORDER: timestamp older than the row before it in column',
      'TIME_UNPARSEABLE: not a timestamp (ISO-8601 or epoch seconds/milliseconds) in column',
    ]);
  });

  test('gaps and irregular steps are reported in the summary', async () => {
    const times = [0, 1, 2, 3, 13, 14, 15, 17];
    const text = `ts,a,b\n${times.map((m) => `${minute(m)},${m % 3},0`).join('\n')}\n`;
    const summary = await score(rows, text, 'gaps.csv');
    expect(summary.time).toEqual({
      column: 'ts', rows: 8, steps: 7, median_step_ms: 60_000, gaps: 1, gap_factor: 2, largest_gap_ms: 600_000, irregular_steps: 2,
    });
    expect(summary.warnings).toEqual([expect.stringMatching(/^TIME_GAPS: 1 step/)]);
  });

  test('epoch seconds work as a time column', async () => {
    const text = 'ts,a,b\n1392336000,0,0\n1392336060,1,1\n1392336120,0,0\n';
    const summary = await score(rows, text, 'epoch.csv');
    expect(summary).toMatchObject({ rows_out: 3, rows_rejected: 0, time: { median_step_ms: 60_000, gaps: 0 } });
  });

  test('a time column the input lacks is an error naming it: a usage error from the flag, a schema mismatch from the model', async () => {
    const text = 'when,a,b\n1,0,0\n';
    await expect(score(rows, text, 'x.csv', 'ts', true)).rejects.toThrow(UsageError);
    await expect(score(rows, text, 'x.csv', 'ts', true)).rejects.toThrow(/--time-column names 'ts'/);
    await expect(score(rows, text, 'x.csv', 'ts', false)).rejects.toThrow(SchemaMismatchError);
    await expect(score(rows, text, 'x.csv', 'ts', false)).rejects.toThrow(/missing column\(s\) 'ts'/);
    expect(await at.exists('out', 'x.csv')).toBe(false);
  });

  test('a feature of the model cannot be the time column', async () => {
    await expect(score(rows, 'a,b\n1,2\n', 'f.csv', 'a', true)).rejects.toThrow(/the time column 'a' is a feature of the model/);
  });

  test('the model\'s time column is the default; another one on the command line is a usage error', () => {
    expect(resolveTimeColumn('ts', undefined)).toEqual({ name: 'ts', fromFlag: false });
    expect(resolveTimeColumn(undefined, 'ts')).toEqual({ name: 'ts', fromFlag: true });
    expect(resolveTimeColumn('ts', 'ts')).toEqual({ name: 'ts', fromFlag: true });
    expect(resolveTimeColumn(undefined, undefined)).toEqual({ name: null, fromFlag: false });
    expect(() => resolveTimeColumn('ts', 'time')).toThrow(UsageError);
  });

  test('a series shorter than the window: every row written with empty model columns and a warning', async () => {
    const text = `ts,a,b\n${[0, 1, 2].map((m) => `${minute(m)},${m},1`).join('\n')}\n`;
    const summary = await score(windowed, text, 'short.csv');
    expect(summary).toMatchObject({ rows_in: 3, rows_out: 3, rows_rejected: 0, rows_unscored: 3, anomalies: 0 });
    const short = /^SERIES_SHORTER_THAN_WINDOW: the series has 3 row\(s\), fewer than the model's window of 4/;
    expect(summary.warnings).toEqual([expect.stringMatching(short)]);
    const lines = (await at.text('out', 'short.csv')).trimEnd().split('\n');
    lines.slice(1).forEach((line, m) => expect(line).toBe(`${minute(m)},${m},1,,,,,`));
  });

  test('a constant series is scored, with a warning', async () => {
    const text = `ts,a,b\n${Array.from({ length: 6 }, (_, m) => `${minute(m)},3,3`).join('\n')}\n`;
    const summary = await score(windowed, text, 'constant.csv');
    expect(summary).toMatchObject({ rows_out: 6, rows_unscored: 3, anomalies: 3 });
    expect(summary.warnings).toEqual([expect.stringMatching(/^CONSTANT_SERIES: every feature holds one value over the 6 rows/)]);
  });

  test('without a time column nothing is checked and the summary has no time block', async () => {
    const summary = await score(rows, 'ts,a,b\nx,0,0\nx,1,1\n', 'none.csv', null);
    expect(summary).toMatchObject({ rows_out: 2, rows_rejected: 0, time: null, warnings: [] });
  });

  test('a parquet timestamp column: ordered at millisecond precision, kept exactly in a parquet output', async () => {
    const base = 1_392_336_000_000_000n;
    // microseconds: the 4th row is 300 µs after the 3rd, the same millisecond: a duplicate
    const micros = [0n, 60_000_000n, 120_000_000n, 120_000_300n, 180_000_000n, 90_000_000n].map((d) => base + d);
    const opt = 'OPTIONAL' as const;
    const schema = [
      { name: 'root', num_children: 3 },
      {
        name: 'ts', type: 'INT64', repetition_type: opt, converted_type: 'TIMESTAMP_MICROS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
      },
      { name: 'a', type: 'DOUBLE', repetition_type: opt },
      { name: 'b', type: 'DOUBLE', repetition_type: opt },
    ];
    const columnData = [
      { name: 'ts', data: micros },
      { name: 'a', data: Float64Array.from({ length: 6 }, (_, i) => i) },
      { name: 'b', data: Float64Array.from({ length: 6 }, () => 1) },
    ];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const bytes = new Uint8Array(parquetWriteBuffer({ columnData, schema } as any));
    const summary = await writeScoredOutput({
      chunks: readParquetTable(bufferSource(bytes)), model: rows, mode: 'detect', inputFormat: 'parquet', outputFormat: 'parquet',
      store: at.store, output: { bucket: 'out', key: 'ts.parquet' }, input: { uri: 'memory' }, timeColumn: 'ts', maxRejected: { count: 5 },
    });
    expect(summary).toMatchObject({ rows_in: 6, rows_out: 4, rows_rejected: 2, time: { median_step_ms: 60_000 } });
    const errors = (await at.text('out', 'ts.parquet.errors.ndjson')).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(errors.map((e) => [e.line, e.reason.split(':')[0]])).toEqual([[4, 'TIME_DUPLICATE'], [6, 'TIME_OUT_OF_ORDER']]);
    const out: bigint[] = [];
    for await (const chunk of readParquetTable(bufferSource(await at.bytes('out', 'ts.parquet')))) {
      for (const row of chunk.rows) out.push((row as unknown as { values: { raw: bigint }[] }).values[0]!.raw);
    }
    expect(out).toEqual([micros[0], micros[1], micros[2], micros[4]]);
  });
});
