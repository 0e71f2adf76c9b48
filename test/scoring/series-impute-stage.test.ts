import { readTable } from '../../core/io';
import type { SeriesImputeParams } from '../../core/series-impute/params';
import type { LoadedModel } from '../../scoring/batch-scorer';
import { createOutputEncoder } from '../../scoring/output-encoder';
import { emptyStats, scoreTable } from '../../scoring/score-table';
import { bytesOf, fixedModel } from './fixtures/fixed-model';

/**
 * scoring/series-impute-stage.ts through scoreTable: a series imputer's `time_basis` says what its interpolation
 * runs along. 'timestamps': the time column's times; 'rows' (trained without timestamps: lib `train`): the row
 * numbers, as the blend weights were chosen on, even when the scored input has a time column.
 */
const W = { linear: 1, seasonal: 0, model: 0 };
const series = (basis: SeriesImputeParams['time_basis']): SeriesImputeParams => ({
  look_ahead_rows: 8, short_gap_rows: 3, time_basis: basis,
  columns: [{ name: 'a', period_rows: 0, weights: { short: W, long: W, open: W }, std: { short: null, long: null, open: null } }],
});

async function filled(model: LoadedModel, basis: SeriesImputeParams['time_basis'], csv: string): Promise<string[]> {
  // the table imputer's block (no columns: this model has no per-column fill record) plus the series block
  const imputation = { held_out_cells: 0, columns: [], series: series(basis) };
  const manifest = { ...model.manifest, time_column: 't', imputation };
  const out: string[] = [];
  const encoder = createOutputEncoder('csv', 'csv', ',');
  const chunks = readTable(bytesOf(csv, Infinity), { format: 'csv', chunkRows: 2 });
  for await (const b of scoreTable(chunks, { manifest, scorer: model.scorer }, { mode: 'impute', timeColumn: 't' }, emptyStats())) {
    out.push(Buffer.from(encoder.batch(b)).toString('utf8'));
  }
  return out.join('').trimEnd().split('\n');
}

describe('SeriesImputeStage', () => {
  let model: LoadedModel;
  beforeAll(async () => {
    model = await fixedModel({ features: ['a'] });
  });
  afterAll(() => model.scorer.release());

  // irregular steps: 1 s, then 9 s
  const csv = 't,a\n1970-01-01T00:00:00Z,0\n1970-01-01T00:00:01Z,\n1970-01-01T00:00:10Z,10\n';

  test("time_basis 'timestamps' interpolates along the times", async () => {
    const want = ['t,a', '1970-01-01T00:00:00Z,0', '1970-01-01T00:00:01Z,1', '1970-01-01T00:00:10Z,10'];
    expect(await filled(model, 'timestamps', csv)).toEqual(want);
  });

  test("time_basis 'rows' interpolates along the row numbers, though the input has times", async () => {
    const want = ['t,a', '1970-01-01T00:00:00Z,0', '1970-01-01T00:00:01Z,5', '1970-01-01T00:00:10Z,10'];
    expect(await filled(model, 'rows', csv)).toEqual(want);
  });
});
