import { fitScaler, type ScalerParams } from '../../../core/scaler';
import type { Rng } from '../../../core/rng';

/** How auto scales features, chosen from the training rows alone. */
export interface AutoScaling {
  params: ScalerParams;
  /** One median / IQR for every feature (rows that are signals) instead of one per feature. */
  pooled: boolean;
  /** Median Pearson correlation of adjacent columns (on at most 5,000 rows). */
  adjacentCorrelation: number;
  reason: string;
}

/** Rows are treated as signals (one shared scale keeps their shape) from this many features on … */
export const SIGNAL_MIN_FEATURES = 16;
/** … when the median correlation between adjacent columns reaches this. */
export const SIGNAL_MIN_CORRELATION = 0.9;

/**
 * Robust scaling (median, IQR / 1.349; anomalies in the training data barely move it). Per feature,
 * unless the rows look like signals — many features whose adjacent columns move together (ECG beats,
 * spectra, sensor windows) — where one pooled median and IQR keeps each row's shape.
 */
export function chooseScaling(values: Float32Array, features: number, rng: Rng): AutoScaling {
  const rows = values.length / features;
  const adjacentCorrelation = features >= 2 ? medianAdjacentCorrelation(values, features, rows, rng) : 0;
  const pooled = features >= SIGNAL_MIN_FEATURES && adjacentCorrelation >= SIGNAL_MIN_CORRELATION;
  if (!pooled) {
    return {
      params: fitScaler(values, features, 'robust'), pooled, adjacentCorrelation,
      reason: `per-feature median/IQR (adjacent-column correlation ${adjacentCorrelation.toFixed(2)}; signal rows need ` +
        `>= ${SIGNAL_MIN_FEATURES} features and >= ${SIGNAL_MIN_CORRELATION})`,
    };
  }
  const one = fitScaler(values, 1, 'robust');
  return {
    params: {
      kind: 'robust', offset: new Array<number>(features).fill(one.offset[0]!), scale: new Array<number>(features).fill(one.scale[0]!),
    },
    pooled, adjacentCorrelation,
    reason: `one pooled median/IQR: ${features} features whose adjacent columns correlate at ${adjacentCorrelation.toFixed(2)} ` +
      'look like signal rows',
  };
}

function medianAdjacentCorrelation(values: Float32Array, f: number, rows: number, rng: Rng): number {
  const take = Math.min(rows, 5000);
  const pick = rows > take ? rng.permutation(rows).subarray(0, take) : null;
  const corr: number[] = [];
  for (let j = 0; j + 1 < f; j++) {
    let n = 0;
    let sa = 0;
    let sb = 0;
    let saa = 0;
    let sbb = 0;
    let sab = 0;
    for (let i = 0; i < take; i++) {
      const r = pick ? pick[i]! : i;
      const a = values[r * f + j]!;
      const b = values[r * f + j + 1]!;
      if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
      n++;
      sa += a;
      sb += b;
      saa += a * a;
      sbb += b * b;
      sab += a * b;
    }
    if (n < 3) continue;
    const va = saa - (sa * sa) / n;
    const vb = sbb - (sb * sb) / n;
    if (!(va > 0 && vb > 0)) continue;
    corr.push((sab - (sa * sb) / n) / Math.sqrt(va * vb));
  }
  if (!corr.length) return 0;
  corr.sort((a, b) => a - b);
  const mid = corr.length >> 1;
  return corr.length % 2 ? corr[mid]! : (corr[mid - 1]! + corr[mid]!) / 2;
}
