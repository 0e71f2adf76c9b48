import type { ScalerParams } from '../../../core/scaler';
import type { ForestFill } from './forest-fill';
import type { GaussianFill } from './gaussian-fill';
import type { KnnFill } from './knn-fill';

export type FillMethod = 'mean' | 'knn' | 'gaussian' | 'blend';

/** How one column is filled: value = knn·kNN_k + gaussian·Gaussian + mean·column mean (weights sum to 1). */
export interface ColumnPlan {
  method: FillMethod;
  /** The kNN member's k for this column (used when weights.knn > 0). */
  k: number;
  /** kNN neighbours weighted by 1 / (distance + ε) instead of equally. */
  byDistance: boolean;
  /** A discrete column (whole numbers, < DISCRETE_LEVELS distinct): its fills are rounded to whole numbers. */
  round: boolean;
  weights: { knn: number; gaussian: number; mean: number };
}

/** Everything the imputer's graph and its JS reference need. */
export interface ImputerParts {
  features: number;
  scaler: ScalerParams;
  /** Column means and population sds of the observed cells, scaled space. */
  mean: Float64Array;
  sd: Float64Array;
  knn: KnnFill | null;
  gaussian: GaussianFill | null;
  /** the forest member and each column's weight on it (forest-fill.ts); absent or all weights 0: none */
  forest?: ForestFill | null;
  /** the forest's second, chained round: reads the row with its missing cells at the first round's fill */
  forest2?: ForestFill | null;
  plans: ColumnPlan[];
  /**
   * Uncertainty, scaled space: sd = sdScale · √(Σ weight · member variance) + sdFloor, calibrated on the
   * held-out cells (mean sd² = mean squared error per column); sdFloor is the held-out RMSE where every
   * member variance was 0.
   */
  sdScale: Float64Array;
  sdFloor: Float64Array;
}

/** A column whose observed values are whole numbers with fewer distinct values than this is discrete. */
export const DISCRETE_LEVELS = 20;

export function planFor(method: FillMethod, k: number, byDistance = false, knnWeight = method === 'knn' ? 1 : 0): ColumnPlan {
  const round = false;
  if (method === 'mean') return { method, k, byDistance, round, weights: { knn: 0, gaussian: 0, mean: 1 } };
  if (method === 'gaussian') return { method, k, byDistance, round, weights: { knn: 0, gaussian: 1, mean: 0 } };
  return { method, k, byDistance, round, weights: { knn: knnWeight, gaussian: 1 - knnWeight, mean: 0 } };
}

/** Per column: true when every observed value is a whole number and there are fewer than DISCRETE_LEVELS of them. */
export function discreteColumns(values: Float32Array, f: number): boolean[] {
  const levels = Array.from({ length: f }, () => new Set<number>());
  const whole = new Array<boolean>(f).fill(true);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    const j = i % f;
    if (!whole[j]) continue;
    if (!Number.isInteger(v)) whole[j] = false;
    else if (levels[j]!.size < DISCRETE_LEVELS) levels[j]!.add(v);
  }
  return whole.map((w, j) => w && levels[j]!.size > 0 && levels[j]!.size < DISCRETE_LEVELS);
}
