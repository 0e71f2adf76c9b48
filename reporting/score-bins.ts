import { AdaptiveBins } from './adaptive-bins';

/** What a bin of scored rows keeps: the extremes (with their rows), a sum for the mean, and flag/label counts. */
export interface ScoreBin {
  count: number;
  min: number;
  max: number;
  maxRow: number;
  sum: number;
  flagged: number;
  labelled: number;
  probMax: number;
  probMin: number;
}

export function scoreBins(target: number): AdaptiveBins<ScoreBin> {
  return new AdaptiveBins<ScoreBin>(
    target,
    () => ({ count: 0, min: Infinity, max: -Infinity, maxRow: -1, sum: 0, flagged: 0, labelled: 0, probMax: -Infinity, probMin: Infinity }),
    (a, b) => {
      if (b.max > a.max) {
        a.max = b.max;
        a.maxRow = b.maxRow;
      }
      a.min = Math.min(a.min, b.min);
      a.count += b.count;
      a.sum += b.sum;
      a.flagged += b.flagged;
      a.labelled += b.labelled;
      a.probMax = Math.max(a.probMax, b.probMax);
      a.probMin = Math.min(a.probMin, b.probMin);
    },
  );
}

export function addScore(bin: ScoreBin, row: number, score: number): void {
  bin.count++;
  bin.sum += score;
  if (score > bin.max) {
    bin.max = score;
    bin.maxRow = row;
  }
  if (score < bin.min) bin.min = score;
}

/**
 * Consecutive bins where `on` holds, merged into [start, end) row spans. Beyond `cap` spans only the
 * `cap` longest are kept (in row order), so a chart never draws thousands of shaded areas.
 */
export function spans(entries: { start: number; rows: number; on: boolean }[], cap = 300): [number, number][] {
  const out: [number, number][] = [];
  for (const e of entries) {
    if (!e.on) continue;
    const last = out[out.length - 1];
    if (last && last[1] === e.start) last[1] = e.start + e.rows;
    else out.push([e.start, e.start + e.rows]);
  }
  if (out.length <= cap) return out;
  return [...out]
    .sort((a, b) => b[1] - b[0] - (a[1] - a[0]) || a[0] - b[0])
    .slice(0, cap)
    .sort((a, b) => a[0] - b[0]);
}
