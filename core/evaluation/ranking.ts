import { InternalError } from '../errors';
/**
 * Threshold-free detection metrics, with scikit-learn's definitions (higher score = more anomalous,
 * label 1 = anomaly). One descending sort serves ROC-AUC, average precision and the best-F1 threshold;
 * tied scores form one operating point, as in sklearn's roc_curve / precision_recall_curve.
 */

export interface RankingMetrics {
  /** sklearn roc_auc_score: trapezoidal area under the ROC curve; NaN without both classes */
  rocAuc: number;
  /** sklearn average_precision_score: Σ (R_k − R_{k−1}) · P_k over distinct thresholds; NaN without positives */
  averagePrecision: number;
  /** the operating point with the highest F1 (predict anomaly when score ≥ threshold); null without positives */
  bestF1: { threshold: number; precision: number; recall: number; f1: number } | null;
  positives: number;
  negatives: number;
}

/** Scores must be finite numbers (callers leave out missing ones); labels are 0 or 1. */
export function rankingMetrics(scores: ArrayLike<number>, labels: ArrayLike<number>): RankingMetrics {
  const n = scores.length;
  if (labels.length !== n) throw new InternalError(`scores (${n}) and labels (${labels.length}) differ in length`);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[b]! - scores[a]!);
  let positives = 0;
  for (let i = 0; i < n; i++) if (labels[i]) positives++;
  const negatives = n - positives;
  let tp = 0;
  let fp = 0;
  let area = 0;
  let ap = 0;
  let best: RankingMetrics['bestF1'] = null;
  for (let i = 0; i < n; ) {
    const s = scores[order[i]!]!;
    const tp0 = tp;
    const fp0 = fp;
    while (i < n && scores[order[i]!]! === s) {
      if (labels[order[i]!]) tp++;
      else fp++;
      i++;
    }
    area += ((fp - fp0) * (tp + tp0)) / 2;
    if (positives > 0) {
      const precision = tp / (tp + fp);
      const recall = tp / positives;
      ap += ((tp - tp0) / positives) * precision;
      const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
      // ≥: among equal F1 keep the lower threshold, as numpy.argmax over sklearn's ascending precision_recall_curve does
      if (best === null || f1 >= best.f1) best = { threshold: s, precision, recall, f1 };
    }
  }
  return {
    rocAuc: positives > 0 && negatives > 0 ? area / (positives * negatives) : NaN,
    averagePrecision: positives > 0 ? ap : NaN,
    bestF1: best,
    positives,
    negatives,
  };
}
