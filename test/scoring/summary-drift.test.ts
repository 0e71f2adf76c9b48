// Issue 12.6: the summary's `drift` (detect mode) through the real writer and an onnxruntime session.
import { driftNote } from '../../cli/commands/score';
import { Rng } from '../../core/rng';
import { calibrateThreshold } from '../../core/threshold';
import { fixedModel } from './fixtures/fixed-model';
import { scoreText, tempStore, type TempStore } from './fixtures/scoring-run';
import type { LoadedModel } from '../../scoring/batch-scorer';

let at: TempStore;
let model: LoadedModel;
beforeAll(async () => {
  at = await tempStore();
  const fixed = await fixedModel({ features: ['a'] });
  // the fixed model scores a row a² (mse of one feature against 0): calibrated on a² of standard normal a
  const rng = new Rng(11);
  const threshold = calibrateThreshold(Array.from({ length: 20_000 }, () => rng.normal() ** 2), 'percentile:99');
  model = { ...fixed, manifest: { ...fixed.manifest, threshold } };
});
afterAll(() => model.scorer.release());

const csv = (seed: number, n: number, scale: number) => {
  const rng = new Rng(seed);
  return 'a\n' + Array.from({ length: n }, () => (scale * rng.normal()).toFixed(4)).join('\n') + '\n';
};

describe('drift in the scoring summary', () => {
  test('data like the calibration data: figures, no warning; the summary file holds the same', async () => {
    const summary = await scoreText(at, model, csv(1, 2000, 1), 'same.csv');
    expect(summary.drift).toMatchObject({ rows_scored: 2000, warning: null, probability: { rows: 2000 } });
    // every detect output has anomaly_probability now; its share at or above the probability threshold is the flagged share
    expect(summary.drift!.probability!.share_at_or_above_threshold).toBeCloseTo(summary.anomalies / 2000, 12);
    expect(summary.drift!.score_psi!).toBeLessThan(0.05);
    expect(summary.drift!.flagged_share).toBeCloseTo(summary.anomalies / 2000, 12);
    expect(JSON.parse(await at.text('out', 'same.csv.summary.json')).drift).toEqual(summary.drift);
    expect(driftNote(summary.drift)).toMatch(/^drift: \d\.\d+ % flagged \(1\.0 % expected\), score PSI 0\.0\d\d over 2000 scored rows\n$/);
  });

  test('drifted data: MODEL_DRIFT in the summary and a warning line in the CLI note', async () => {
    const summary = await scoreText(at, model, csv(2, 2000, 3), 'drifted.csv');
    expect(summary.drift!.warning).toMatchObject({ code: 'MODEL_DRIFT', reasons: ['SCORE_PSI', 'FLAGGED_SHARE'] });
    expect(driftNote(summary.drift)).toMatch(/\nwarning MODEL_DRIFT: the model no longer fits this data \(score PSI .*retrain it on recent data\n$/);
  });

  test('rows without a score are not counted; other modes have no drift', async () => {
    const summary = await scoreText(at, model, 'a\n1\n\n2\n', 'gaps.csv');
    expect(summary.rows_unscored + summary.drift!.rows_scored).toBe(summary.rows_out);
    expect((await scoreText(at, model, 'a\n1\n', 'imputed.csv', { mode: 'impute' })).drift).toBeNull();
    expect(driftNote(null)).toBe('');
  });
});

describe('series_state in the summary', () => {
  test('the scoring function\'s state decision is copied to the summary; without one it is null', async () => {
    const seriesState = {
      key: 'state/fixture/v1/s.json', series: 's', use: 'resume' as const, reason: 'IN_ORDER' as const, updates_state: true,
    };
    const summary = await scoreText(at, model, 'a\n1\n', 'series.csv', { extra: { seriesState } });
    expect(summary.series_state).toEqual(seriesState);
    expect(JSON.parse(await at.text('out', 'series.csv.summary.json')).series_state).toEqual(seriesState);
    expect((await scoreText(at, model, 'a\n1\n', 'plain.csv')).series_state).toBeNull();
  });
});

