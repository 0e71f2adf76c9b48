import { eventMetrics, pointAdjustedMetrics, type EventMetrics } from './events';
import { pointMetrics } from './point-metrics';
import { rankingMetrics } from './ranking';

export const POINT_ADJUST_WARNING =
  'point-adjusted F1 counts a whole labelled event as found when any one of its rows is flagged; ' +
  'it inflates scores (a random detector can look good) — judge by f1 and event_recall instead';

/** The `residual evaluate --json` object for detect mode (snake_case keys; NaN becomes null in JSON). */
export interface DetectionReport {
  mode: 'detect';
  rows_in: number;
  rows_used: number;
  rows_rejected: number;
  rows_missing_score: number;
  rows_missing_label: number;
  positives: number;
  negatives: number;
  roc_auc: number | null;
  pr_auc: number | null;
  /** at is_anomaly (null when the scored file has no flag column) */
  precision: number | null;
  recall: number | null;
  f1: number | null;
  tp: number | null;
  fp: number | null;
  fn: number | null;
  tn: number | null;
  best_f1: number | null;
  best_f1_threshold: number | null;
  best_f1_precision: number | null;
  best_f1_recall: number | null;
  events: number;
  events_detected: number | null;
  event_recall: number | null;
  rows_to_detect: EventMetrics['rowsToDetect'];
  time_to_detect: EventMetrics['timeToDetect'];
  point_adjusted_f1: number | null;
  warnings: string[];
}

export interface DetectionInput {
  scores: Float64Array;
  labels: Uint8Array;
  flags: Uint8Array | null;
  times: Float64Array | null;
}

export interface DetectionCounts {
  rowsIn: number;
  rowsRejected: number;
  missingScore: number;
  missingLabel: number;
}

export function detectionReport(input: DetectionInput, counts: DetectionCounts): DetectionReport {
  const rank = rankingMetrics(input.scores, input.labels);
  const warnings: string[] = [];
  if (counts.missingScore) warnings.push(`${counts.missingScore} row(s) with an empty score were left out`);
  if (counts.missingLabel) warnings.push(`${counts.missingLabel} row(s) with an empty label were left out`);
  if (counts.rowsRejected) warnings.push(`${counts.rowsRejected} row(s) could not be read and were left out`);
  if (rank.positives === 0 || rank.negatives === 0) warnings.push(`the labels hold only one class, so ROC-AUC and PR-AUC are undefined`);
  const at = input.flags ? pointMetrics(input.flags, input.labels) : null;
  if (!input.flags) warnings.push(`no is_anomaly column: precision, recall, F1 and event metrics at the model's threshold are left out`);
  const ev = input.flags ? eventMetrics(input.flags, input.labels, input.times ?? undefined) : null;
  const adjusted = input.flags ? pointAdjustedMetrics(input.flags, input.labels) : null;
  if (adjusted) warnings.push(POINT_ADJUST_WARNING);
  const n = (v: number | undefined | null) => (v === undefined || v === null || Number.isNaN(v) ? null : v);
  return {
    mode: 'detect',
    rows_in: counts.rowsIn,
    rows_used: input.scores.length,
    rows_rejected: counts.rowsRejected,
    rows_missing_score: counts.missingScore,
    rows_missing_label: counts.missingLabel,
    positives: rank.positives,
    negatives: rank.negatives,
    roc_auc: n(rank.rocAuc),
    pr_auc: n(rank.averagePrecision),
    precision: n(at?.precision),
    recall: n(at?.recall),
    f1: n(at?.f1),
    tp: n(at?.tp),
    fp: n(at?.fp),
    fn: n(at?.fn),
    tn: n(at?.tn),
    best_f1: n(rank.bestF1?.f1),
    best_f1_threshold: n(rank.bestF1?.threshold),
    best_f1_precision: n(rank.bestF1?.precision),
    best_f1_recall: n(rank.bestF1?.recall),
    events: ev?.events ?? countEvents(input.labels),
    events_detected: n(ev?.detected),
    event_recall: n(ev?.recall),
    rows_to_detect: ev?.rowsToDetect ?? null,
    time_to_detect: ev?.timeToDetect ?? null,
    point_adjusted_f1: n(adjusted?.f1),
    warnings,
  };
}

function countEvents(labels: Uint8Array): number {
  let k = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] && (i === 0 || !labels[i - 1])) k++;
  return k;
}
