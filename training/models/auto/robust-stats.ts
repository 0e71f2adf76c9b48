import { quantileSorted } from '../../../core/threshold';

/** Location and spread a member's scores are normalised by: z = (score − median) / spread. */
export interface ScoreNorm {
  median: number;
  /** IQR / 1.349 of the calibration scores; the std when that is ~0; 1 when both are. */
  spread: number;
}

export function scoreNorm(scores: ArrayLike<number>): ScoreNorm {
  const sorted = Float64Array.from(scores).sort();
  const median = quantileSorted(sorted, 0.5);
  const tiny = 1e-12 * Math.max(1, Math.abs(median));
  let spread = (quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25)) / 1.349;
  if (!(spread > tiny)) {
    let mean = 0;
    for (const v of sorted) mean += v;
    mean /= sorted.length;
    let m2 = 0;
    for (const v of sorted) m2 += (v - mean) ** 2;
    spread = Math.sqrt(m2 / sorted.length);
  }
  return { median, spread: spread > tiny ? spread : 1 };
}

/** Most scores the medcouple is computed on (it is O(n²); an evenly spaced subsample of the sorted scores). */
const MEDCOUPLE_MAX = 2000;

/**
 * The medcouple (Brys, Hubert & Struyf 2004), a robust skewness in [−1, 1]: the median over pairs
 * x_i ≥ m ≥ x_j (m the median, x_i > x_j) of ((x_i − m) − (m − x_j)) / (x_i − x_j). Pairs tied at the median
 * are left out. Computed on at most MEDCOUPLE_MAX evenly spaced order statistics.
 */
export function medcouple(sortedScores: Float64Array): number {
  const n0 = sortedScores.length;
  const n = Math.min(n0, MEDCOUPLE_MAX);
  const x = n === n0 ? sortedScores : Float64Array.from({ length: n }, (_, i) => sortedScores[Math.round((i * (n0 - 1)) / (n - 1))]!);
  const m = quantileSorted(x, 0.5);
  const kernels: number[] = [];
  for (let i = 0; i < n; i++) {
    if (x[i]! < m) continue;
    for (let j = 0; j < n; j++) {
      if (x[j]! > m || x[i] === x[j]) continue;
      kernels.push((x[i]! - m - (m - x[j]!)) / (x[i]! - x[j]!));
    }
  }
  if (!kernels.length) return 0;
  return quantileSorted(Float64Array.from(kernels).sort(), 0.5);
}

/**
 * The upper fence of the skew-adjusted boxplot (Hubert & Vandervieren 2008): Q3 + 1.5·e^{3·MC}·IQR
 * (e^{4·MC} when MC < 0), MC the medcouple; and the fraction of the scores above it — a label-free
 * estimate of the training data's contamination that does not take the long right tail every distance
 * score has (for clean data) for outliers, as Tukey's plain Q3 + 1.5·IQR does.
 */
export function adjustedFence(scores: ArrayLike<number>): { fence: number; contamination: number; medcouple: number } {
  const sorted = Float64Array.from(scores).sort();
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const mc = medcouple(sorted);
  const fence = q3 + 1.5 * Math.exp((mc >= 0 ? 3 : 4) * mc) * (q3 - q1);
  let above = 0;
  for (const v of sorted) if (v > fence) above++;
  return { fence, contamination: above / sorted.length, medcouple: mc };
}
