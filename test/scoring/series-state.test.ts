import { readTable } from '../../core/io';
import { tailSpecFromScores } from '../../core/probability';
import type { LoadedModel } from '../../scoring/batch-scorer';
import { checkSeriesState, parseSeriesState, SeriesStateError, type SeriesState } from '../../scoring/series-state';
import { writeScoredOutput } from '../../scoring/write-scored-output';
import { bytesOf, fixedModel } from './fixtures/fixed-model';
import { tempStore, type TempStore } from './fixtures/scoring-run';

const N = 230;
const minute = (i: number) => new Date(Date.UTC(2014, 1, 14, 0, i)).toISOString().replace('T', ' ').slice(0, 19);
/** a noisy two-feature series with a spike and a few missing cells */
const rowsOf = () => Array.from({ length: N }, (_, i) => {
  const a = Math.sin(i / 7) + (i >= 150 && i < 155 ? 6 : 0);
  const b = i % 17 === 0 ? '' : (Math.cos(i / 5) * 0.5).toFixed(4);
  return `${minute(i)},${a.toFixed(4)},${b}`;
});

/** The model with a probability block fitted on scores of its own kind (so probabilities are spread over (0, 1)). */
function withProbability(model: LoadedModel): LoadedModel {
  const calibration = Array.from({ length: 500 }, (_, i) => Math.abs(Math.sin(i * 12.9898)) * 2);
  return { ...model, manifest: { ...model.manifest, probability: tailSpecFromScores(calibration, model.manifest.threshold.value) } };
}

describe('series state: scoring a series in pieces', () => {
  let at: TempStore;
  const models: LoadedModel[] = [];
  beforeAll(async () => {
    at = await tempStore();
    models.push(withProbability(await fixedModel({ features: ['a', 'b'], threshold: 1.5 })));
    models.push(withProbability(await fixedModel({ features: ['a', 'b'], window: 6, threshold: 1.5 })));
  });
  afterAll(() => Promise.all(models.map((m) => m.scorer.release())));

  const run = (model: LoadedModel, body: string[], key: string, state: SeriesState | null) =>
    writeScoredOutput({
      chunks: readTable(bytesOf(`ts,a,b\n${body.join('\n')}\n`, 97), { format: 'csv', chunkRows: 16 }),
      model, mode: 'detect', inputFormat: 'csv', outputFormat: 'csv', store: at.store, output: { bucket: 'out', key },
      input: { uri: 'memory' }, timeColumn: 'ts', state,
    });

  test.each([['rows', 0], ['windowed', 1]])('a %s model scored in 10 pieces with the state: the rows of scoring at once', async (_, m) => {
    const model = models[m as number]!;
    const body = rowsOf();
    const whole = await run(model, body, `whole-${m}.csv`, null);
    const wholeRows = (await at.text('out', `whole-${m}.csv`)).trimEnd().split('\n').slice(1);
    expect(wholeRows).toHaveLength(N);
    // the output says something: some rows flagged, some not, probabilities spread
    expect(whole.anomalies).toBeGreaterThan(0);
    expect(whole.anomalies).toBeLessThan(N / 2);
    let state: SeriesState | null = null;
    const pieces: string[] = [];
    const cuts = [0, 3, 10, 31, 57, 80, 111, 150, 152, 199, N];
    for (let p = 0; p < 10; p++) {
      const result = await run(model, body.slice(cuts[p], cuts[p + 1]), `piece-${m}-${p}.csv`, state);
      // the state is what a file holds: it goes through JSON between runs
      state = parseSeriesState(JSON.stringify(result.state), model.manifest, 'test');
      pieces.push(...(await at.text('out', `piece-${m}-${p}.csv`)).trimEnd().split('\n').slice(1));
    }
    expect(pieces).toEqual(wholeRows);
    expect(state).toMatchObject({ rows_seen: N, last_time: minute(N - 1), last_time_ms: Date.UTC(2014, 1, 14, 0, N - 1) });
    expect(state!.window_tail).toHaveLength(m === 1 ? 5 * 2 : 0);
    expect(whole.state).toEqual(state);
  });

  test('rows older than the state\'s last time are rejected as out of order and leave the state\'s clock as it was', async () => {
    const model = models[1]!;
    const body = rowsOf();
    const first = await run(model, body.slice(0, 100), 'old-1.csv', null);
    const again = await run(model, [...body.slice(95, 100), ...body.slice(100, 110)], 'old-2.csv', first.state);
    expect(again).toMatchObject({ rows_in: 15, rows_out: 10, rows_rejected: 5 });
    expect(again.rejected_reasons).toEqual({
      'TIME_OUT_OF_ORDER: timestamp older than the row before it in column': 4,
      'TIME_DUPLICATE: timestamp equal to the row before it in column': 1,
    });
    expect(again.state).toMatchObject({ rows_seen: 110, last_time: minute(109) });
  });

  test('a failed run returns no state (the caller keeps the old one)', async () => {
    const model = models[0]!;
    await expect(run(model, ['nope,1,1', 'nope,2,2', `${minute(1)},1,1`], 'fail.csv', null)).rejects.toThrow(/rejected/);
  });

  test('impute and denoise cannot resume a state', async () => {
    const model = models[1]!;
    const state = (await run(model, rowsOf().slice(0, 10), 'imp-1.csv', null)).state;
    await expect(writeScoredOutput({
      chunks: readTable(bytesOf('ts,a,b\n'), { format: 'csv' }), model, mode: 'impute', inputFormat: 'csv', outputFormat: 'csv',
      store: at.store, output: { bucket: 'out', key: 'imp-2.csv' }, input: { uri: 'memory' }, state,
    })).rejects.toThrow(/mode 'impute' cannot resume a series state/);
  });

  describe('checkSeriesState', () => {
    const ok = (): Record<string, unknown> => ({
      schema: 1, model: { name: 'fixture', version: 'v1' }, last_time: '2014-02-14 00:00:00', last_time_ms: 1392336000000,
      rows_seen: 10, window_tail: [1, null, 2, 3], probability: null,
    });
    test('a good state is taken as it is', () => {
      expect(checkSeriesState(ok(), models[1]!.manifest, "'s.json'")).toEqual(ok());
    });
    test.each([
      ['another model', { model: { name: 'other', version: 'v1' } }, /written by model 'other' version 'v1', not 'fixture' version 'v1'/],
      ['another version', { model: { name: 'fixture', version: 'v2' } }, /version 'v2'/],
      ['another schema', { schema: 2 }, /unknown schema/],
      ['half a row in the tail', { window_tail: [1, 2, 3] }, /whole rows of 2 features/],
      ['a tail longer than the window', { window_tail: new Array(12).fill(1) }, /at most 5 rows/],
      ['a text in the tail', { window_tail: ['1', 2] }, /window_tail is not a list/],
      ['a time without its milliseconds', { last_time_ms: null }, /last_time and last_time_ms/],
      ['no row count', { rows_seen: -1 }, /rows_seen/],
    ])('%s is refused with a clear error', (_, change, message) => {
      const bad = () => checkSeriesState({ ...ok(), ...change }, models[1]!.manifest, "'s.json'");
      expect(bad).toThrow(SeriesStateError);
      expect(bad).toThrow(message);
      expect(bad).toThrow(/^state 's.json' cannot be used/);
    });
    test('text that is not JSON is refused', () => {
      expect(() => parseSeriesState('{', models[1]!.manifest, "'s.json'")).toThrow(/not valid JSON/);
    });
  });
});
