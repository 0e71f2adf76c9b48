import { InternalError } from './errors';
/** Detection metrics against ground truth: higher score = more anomalous, label 1 = anomaly. */
import { pointMetrics, type PointMetrics } from './evaluation/point-metrics';

/** ROC-AUC by the rank statistic (ties get the mean rank). NaN scores are ranked lowest. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  if (labels.length !== n) throw new InternalError(`scores (${n}) and labels (${labels.length}) differ in length`);
  const idx = Array.from({ length: n }, (_, i) => i);
  const key = (i: number) => (Number.isNaN(scores[i]!) ? -Infinity : scores[i]!);
  idx.sort((a, b) => key(a) - key(b));
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && key(idx[j + 1]!) === key(idx[i]!)) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[idx[k]!]) {
        pos++;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** pointMetrics' counts and rates plus accuracy. */
export interface Confusion extends PointMetrics {
  accuracy: number;
}

/** Confusion counts and rates for 0/1 predictions. Precision is 0 when nothing is flagged. */
export function confusion(predicted: ArrayLike<number>, labels: ArrayLike<number>): Confusion {
  const m = pointMetrics(predicted, labels);
  return { ...m, accuracy: (m.tp + m.tn) / Math.max(1, labels.length) };
}

/** Root mean squared error over the cells where `mask` is 1. */
export function maskedRmse(predicted: ArrayLike<number>, truth: ArrayLike<number>, mask: ArrayLike<number>): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < truth.length; i++) {
    if (!mask[i]) continue;
    const d = predicted[i]! - truth[i]!;
    sum += d * d;
    n++;
  }
  return n ? Math.sqrt(sum / n) : NaN;
}
