import { closestDistances } from './closest-distance';
import { stdOf, columnOf } from './marginals';

export interface PrivacyResult {
  /** Median distance from a synthetic row to its closest training row (columns in training standard deviations). */
  dcr_synthetic_median: number;
  /** The same for real held-out rows: what "not copied" looks like on this data. */
  dcr_holdout_median: number;
  /** dcr_synthetic_median / dcr_holdout_median (≥ 1: synthetic rows sit no closer to training rows than fresh real rows). */
  dcr_ratio: number;
  /**
   * Share of synthetic rows closer to a training row than the holdout's 1st-percentile distance (a fresh
   * sample from the data's own distribution scores about 0.01; a generator that copies scores near 1).
   */
  near_copy_share: number;
  /**
   * The holdout's own share by the same rule: real rows that duplicate a training row (tables of small
   * integers have many) count here too, so a generator is judged on what it adds beyond that.
   */
  holdout_near_copy_share: number;
  /** near_copy_share − holdout_near_copy_share: the copying the generator adds beyond the data's own duplicates. */
  near_copy_excess: number;
  /** Share of synthetic rows equal to a training row in every column. */
  exact_copy_share: number;
  rows: { synthetic: number; holdout: number; train: number };
}

/**
 * Privacy check by distance to closest record (DCR): synthetic rows against the training rows, beside the
 * real held-out rows against the same training rows. Rows beyond `maxRows` per table are left out (first rows).
 */
export function privacyCheck(
  train: ArrayLike<number>,
  holdout: ArrayLike<number>,
  synthetic: ArrayLike<number>,
  f: number,
  maxRows = 5000,
): PrivacyResult {
  const cap = (t: ArrayLike<number>): ArrayLike<number> => Array.prototype.slice.call(t, 0, Math.min(t.length, maxRows * f)) as number[];
  const tr = cap(train);
  const ho = cap(holdout);
  const sy = cap(synthetic);
  const scale = Array.from({ length: f }, (_, j) => stdOf(columnOf(tr, f, j)));
  const ds = closestDistances(sy, tr, f, scale);
  const dh = closestDistances(ho, tr, f, scale);
  // each distance list sorted once: the holdout's gives both its 1st percentile and its median
  ds.sort();
  dh.sort();
  const q01 = dh[Math.floor(0.01 * (dh.length - 1))] ?? 0;
  const med = (s: Float64Array): number => (s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : NaN);
  const near = (d: Float64Array): number => d.filter((x) => x < q01 || x === 0).length / (d.length || 1);
  const ms = med(ds);
  const mh = med(dh);
  return {
    dcr_synthetic_median: ms,
    dcr_holdout_median: mh,
    dcr_ratio: mh > 0 ? ms / mh : ms > 0 ? Infinity : 1,
    near_copy_share: near(ds),
    holdout_near_copy_share: near(dh),
    near_copy_excess: near(ds) - near(dh),
    exact_copy_share: ds.filter((d) => d === 0).length / (ds.length || 1),
    rows: { synthetic: ds.length, holdout: dh.length, train: Math.floor(tr.length / f) },
  };
}
