import type { ScalerParams } from '../../../core/scaler';

/**
 * The seasonal member of auto-series: the newest row compared with the row one dominant period P back (both
 * robust-scaled), RMS over the features observed in both rows. Where the nearest-window scales ask "does the
 * newest step follow from the last few rows as it did in training?", this one asks "is the newest row what it
 * was one cycle ago?", which catches a missing or shifted daily event whose short context looks ordinary
 * (a jump that does not happen). It needs a graph window of at least P + 1 rows.
 */
export interface SeasonalMember {
  /** P, in rows */
  period: number;
  /** standard deviation of its errors over the training windows (1 when they do not vary), float32 */
  spread: number;
  /** its share of the score (the weights of all members sum to 1), float32 */
  weight: number;
}

/** Shortest graph window that holds the row P back: P + 1. */
export function seasonalWindow(period: number): number {
  return period + 1;
}

/**
 * Unnormalised errors of windows x [N × T × F] (raw units, NaN = missing): per window the RMS over the features
 * observed in both the newest row and the row P back of their scaled difference; `cell` is each feature's
 * squared difference (0 where either is missing). A window with no such feature has error 0.
 */
export function seasonalErrors(
  period: number, t: number, f: number, scaler: ScalerParams, x: Float32Array,
): { error: Float32Array; cell: Float32Array } {
  const n = x.length / (t * f);
  const error = new Float32Array(n);
  const cell = new Float32Array(n * f);
  for (let i = 0; i < n; i++) {
    const last = (i * t + t - 1) * f;
    const back = last - period * f;
    let sum = 0;
    let observed = 0;
    for (let j = 0; j < f; j++) {
      const a = scaled(x[last + j]!, scaler, j);
      const b = scaled(x[back + j]!, scaler, j);
      if (Number.isNaN(a) || Number.isNaN(b)) continue;
      const e = Math.fround(a - b);
      cell[i * f + j] = e * e;
      sum += e * e;
      observed++;
    }
    error[i] = Math.sqrt(sum / Math.max(observed, 1));
  }
  return { error, cell };
}

/** fround(fround(x − offset) / scale) as the graph computes it; NaN when x is missing. */
function scaled(raw: number, scaler: ScalerParams, j: number): number {
  const x = Math.fround(raw);
  if (!Number.isFinite(x)) return NaN;
  return Math.fround(Math.fround(x - Math.fround(scaler.offset[j]!)) / Math.fround(scaler.scale[j]!));
}
