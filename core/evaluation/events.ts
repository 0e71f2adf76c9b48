import { pointMetrics, type PointMetrics } from './point-metrics';

/** One labelled event: a maximal run of label 1 in row order, rows [start, end). */
export interface LabelEvent {
  start: number;
  end: number;
}

export function findEvents(labels: ArrayLike<number>): LabelEvent[] {
  const events: LabelEvent[] = [];
  let start = -1;
  for (let i = 0; i <= labels.length; i++) {
    const on = i < labels.length && labels[i] ? 1 : 0;
    if (on && start < 0) start = i;
    else if (!on && start >= 0) {
      events.push({ start, end: i });
      start = -1;
    }
  }
  return events;
}

export interface EventMetrics {
  events: number;
  detected: number;
  /** detected / events; NaN without events */
  recall: number;
  /** rows from each detected event's first row to its first flagged row: mean, median, max (null if none detected) */
  rowsToDetect: { mean: number; median: number; max: number } | null;
  /** the same in the units of `times` (e.g. seconds), when times were given */
  timeToDetect: { mean: number; median: number; max: number } | null;
}

/**
 * Event-level recall: an event counts as detected when any of its rows is flagged. Time to detect is
 * measured from the event's first row to the first flagged row inside it. `times` (optional, same
 * length) gives each row's time, e.g. seconds since the epoch; NaN times leave that event out of
 * `timeToDetect`.
 */
export function eventMetrics(predicted: ArrayLike<number>, labels: ArrayLike<number>, times?: ArrayLike<number>): EventMetrics {
  const events = findEvents(labels);
  const rowDelays: number[] = [];
  const timeDelays: number[] = [];
  for (const ev of events) {
    for (let i = ev.start; i < ev.end; i++) {
      if (!predicted[i]) continue;
      rowDelays.push(i - ev.start);
      if (times) {
        const d = times[i]! - times[ev.start]!;
        if (Number.isFinite(d)) timeDelays.push(d);
      }
      break;
    }
  }
  return {
    events: events.length,
    detected: rowDelays.length,
    recall: events.length ? rowDelays.length / events.length : NaN,
    rowsToDetect: summarize(rowDelays),
    timeToDetect: times ? summarize(timeDelays) : null,
  };
}

/**
 * Point-adjusted F1 (Xu et al. 2018): every row of an event counts as found once any row of it is
 * flagged. It rewards one lucky hit inside a long event and so inflates scores; report it only beside
 * the plain numbers.
 */
export function pointAdjustedMetrics(predicted: ArrayLike<number>, labels: ArrayLike<number>): PointMetrics {
  const adjusted = Uint8Array.from({ length: predicted.length }, (_, i) => (predicted[i] ? 1 : 0));
  for (const ev of findEvents(labels)) {
    let hit = false;
    for (let i = ev.start; i < ev.end && !hit; i++) hit = adjusted[i] === 1;
    if (hit) adjusted.fill(1, ev.start, ev.end);
  }
  return pointMetrics(adjusted, labels);
}

function summarize(values: number[]): { mean: number; median: number; max: number } | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, median, max: sorted[sorted.length - 1]! };
}
