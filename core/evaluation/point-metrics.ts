import { InternalError } from '../errors';
/** Precision, recall and F1 of 0/1 predictions (sklearn's definitions; 0 where a ratio is 0/0, like zero_division=0). */
export interface PointMetrics {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
  f1: number;
}

export function pointMetrics(predicted: ArrayLike<number>, labels: ArrayLike<number>): PointMetrics {
  if (predicted.length !== labels.length) {
    throw new InternalError(`predictions (${predicted.length}) and labels (${labels.length}) differ in length`);
  }
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
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
  const f1 = tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
  return { tp, fp, fn, tn, precision, recall, f1 };
}
