import type { ScalerParams } from '../../../core/scaler';
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
  plans: ColumnPlan[];
  /**
   * Uncertainty, scaled space: sd = sdScale · √(Σ weight · member variance) + sdFloor, calibrated on the
   * held-out cells (mean sd² = mean squared error per column); sdFloor is the held-out RMSE where every
   * member variance was 0.
   */
  sdScale: Float64Array;
  sdFloor: Float64Array;
}

export function planFor(method: FillMethod, k: number, byDistance = false, knnWeight = method === 'knn' ? 1 : 0): ColumnPlan {
  if (method === 'mean') return { method, k, byDistance, weights: { knn: 0, gaussian: 0, mean: 1 } };
  if (method === 'gaussian') return { method, k, byDistance, weights: { knn: 0, gaussian: 1, mean: 0 } };
  return { method, k, byDistance, weights: { knn: knnWeight, gaussian: 1 - knnWeight, mean: 0 } };
}
