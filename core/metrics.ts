import { InternalError } from './errors';
/** Detection metrics against ground truth: higher score = more anomalous, label 1 = anomaly. */

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

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
}

/** Confusion counts and rates for 0/1 predictions. Precision is 0 when nothing is flagged. */
export function confusion(predicted: ArrayLike<number>, labels: ArrayLike<number>): Confusion {
  if (predicted.length !== labels.length) {
    throw new InternalError(`predictions (${predicted.length}) and labels (${labels.length}) differ in length`);
  }
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = predicted[i] ? 1 : 0;
    const l = labels[i] ? 1 : 0;
    if (p && l) tp++;
    else if (p) fp++;
    else if (l) fn++;
    else tn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { tp, fp, tn, fn, precision, recall, f1, accuracy: (tp + tn) / Math.max(1, labels.length) };
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
