import fixtures from '../fixtures/evaluation/sklearn-fixtures.json';
import { eventMetrics, pointAdjustedMetrics, pointMetrics, rankingMetrics } from '../../core/evaluation';

/** Fixed vectors and scikit-learn's answers for them (test/fixtures/evaluation/make_fixtures.py). */
describe.each(fixtures.cases.map((c) => [c.name, c] as const))('scikit-learn fixture %s', (_name, c) => {
  const predicted = c.scores.map((s) => (s > c.threshold ? 1 : 0));

  test('ROC-AUC equals roc_auc_score and PR-AUC equals average_precision_score', () => {
    const r = rankingMetrics(c.scores, c.labels);
    expect(r.rocAuc).toBeCloseTo(c.roc_auc, 12);
    expect(r.averagePrecision).toBeCloseTo(c.pr_auc, 12);
  });

  test('precision, recall and F1 at the threshold equal precision_score / recall_score / f1_score', () => {
    const m = pointMetrics(predicted, c.labels);
    expect(m.precision).toBeCloseTo(c.precision, 12);
    expect(m.recall).toBeCloseTo(c.recall, 12);
    expect(m.f1).toBeCloseTo(c.f1, 12);
  });

  test('the best-F1 threshold is the argmax of F1 over precision_recall_curve', () => {
    const best = rankingMetrics(c.scores, c.labels).bestF1!;
    expect(best.f1).toBeCloseTo(c.best_f1, 12);
    expect(best.threshold).toBe(c.best_f1_threshold);
  });

  test('event recall, time to detect and point-adjusted F1 match the reference implementation', () => {
    const ev = eventMetrics(predicted, c.labels);
    expect(ev.events).toBe(c.events);
    expect(ev.detected).toBe(c.events_detected);
    expect(ev.rowsToDetect?.max ?? null).toBe(c.rows_to_detect_max);
    expect(pointAdjustedMetrics(predicted, c.labels).f1).toBeCloseTo(c.point_adjusted_f1, 12);
  });
});

describe('metric edge cases', () => {
  test('a single class gives NaN areas instead of a made-up number', () => {
    const r = rankingMetrics([0.1, 0.5, 0.9], [0, 0, 0]);
    expect(r.rocAuc).toBeNaN();
    expect(r.averagePrecision).toBeNaN();
    expect(r.bestF1).toBeNull();
  });

  test('a perfect ranking scores 1 and a reversed one 0', () => {
    expect(rankingMetrics([1, 2, 3, 4], [0, 0, 1, 1]).rocAuc).toBe(1);
    expect(rankingMetrics([4, 3, 2, 1], [0, 0, 1, 1]).rocAuc).toBe(0);
    expect(rankingMetrics([1, 2, 3, 4], [0, 0, 1, 1]).averagePrecision).toBe(1);
  });

  test('time to detect uses the given times, and point adjustment only fills events that were hit', () => {
    const labels = [0, 1, 1, 1, 0, 0, 1, 1, 0];
    const pred = [0, 0, 0, 1, 0, 0, 0, 0, 1];
    const times = labels.map((_, i) => 100 + 10 * i);
    const ev = eventMetrics(pred, labels, times);
    expect(ev).toMatchObject({ events: 2, detected: 1, recall: 0.5, rowsToDetect: { max: 2 }, timeToDetect: { mean: 20 } });
    const adj = pointAdjustedMetrics(pred, labels);
    expect(adj).toMatchObject({ tp: 3, fn: 2, fp: 1 });
  });
});
