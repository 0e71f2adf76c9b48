/**
 * The kNN member: the mean Euclidean distance (scaled space) from a row to its k nearest rows of a stored
 * reference sample. Missing cells: the squared distance is summed over the row's observed cells and
 * rescaled by F / observed (the reference rows hold 0, the median, where their own cells were missing).
 * The ONNX graph computes the same with MatMuls and TopK (export-auto.ts); this is the JS reference.
 */
export interface KnnMember {
  /** Reference rows, scaled, row-major [rows × features]. */
  reference: Float32Array;
  rows: number;
  features: number;
  k: number;
  /** The knn_small member's k (≤ k): the mean distance to the first kSmall of the same k nearest rows. */
  kSmall: number;
  /**
   * The isolation score of each reference row (the iforest_nn member, when chosen): a row's iforest_nn score is the
   * mean of its k nearest reference rows' values.
   */
  referenceIso?: Float32Array;
}

/** The knn_small member's k: a local score beside the wider k of chooseK (clean data favours a small k, mixed-in
 * anomalies a larger one; the ensemble keeps both instead of guessing the contamination). */
export const KNN_SMALL_K = 5;

/** Most reference rows auto stores (the graph's MatMul is [N, F] × [F, rows]). */
export const MAX_REFERENCE_ROWS = 2000;

/** k from the reference size: 2 % of it, at least 5 and at most 50 (never more than rows − 1). */
export function chooseK(rows: number): number {
  return Math.max(1, Math.min(rows - 1, Math.max(5, Math.min(50, Math.round(0.02 * rows)))));
}

export interface KnnScores {
  score: Float64Array;
  /** The mean distance to the kSmall nearest (the knn_small member). */
  small: Float64Array;
  /** Index of each row's nearest reference row. */
  nearest: Int32Array;
  /** The mean referenceIso of the k nearest (the iforest_nn member); only when the member has referenceIso. */
  neighbourIso?: Float64Array;
}

/**
 * Scores scaled rows x (missing cells 0) with mask. `self[i]` (optional) is the reference index of row i
 * when row i is itself a reference row (−1 otherwise): that row is left out of its own neighbours
 * (leave-one-out calibration).
 */
export function knnScores(member: KnnMember, x: Float32Array, mask: Float32Array, self?: Int32Array): KnnScores {
  const { reference: ref, rows: m, features: f, k, kSmall, referenceIso } = member;
  const n = x.length / f;
  const neighbourIso = referenceIso ? new Float64Array(n) : undefined;
  const score = new Float64Array(n);
  const small = new Float64Array(n);
  const nearest = new Int32Array(n);
  const best = new Float64Array(k + 1);
  const bestAt = new Int32Array(k + 1);
  for (let i = 0; i < n; i++) {
    let observed = 0;
    for (let j = 0; j < f; j++) observed += mask[i * f + j]! > 0.5 ? 1 : 0;
    const rescale = f / Math.max(observed, 1);
    let filled = 0;
    const skip = self ? self[i]! : -1;
    for (let r = 0; r < m; r++) {
      if (r === skip) continue;
      let d2 = 0;
      for (let j = 0; j < f; j++) {
        if (mask[i * f + j]! <= 0.5) continue;
        const d = x[i * f + j]! - ref[r * f + j]!;
        d2 += d * d;
      }
      d2 *= rescale;
      if (filled < k) {
        insert(best, bestAt, filled++, d2, r);
      } else if (d2 < best[k - 1]!) {
        insert(best, bestAt, k - 1, d2, r);
      }
    }
    let sum = 0;
    const near = Math.min(kSmall, filled);
    for (let t = 0; t < filled; t++) {
      sum += Math.sqrt(Math.max(best[t]!, 0));
      if (t + 1 === near) small[i] = sum / near;
    }
    score[i] = sum / Math.max(filled, 1);
    nearest[i] = bestAt[0]!;
    if (neighbourIso) {
      let iso = 0;
      for (let t = 0; t < filled; t++) iso += referenceIso![bestAt[t]!]!;
      neighbourIso[i] = iso / Math.max(filled, 1);
    }
  }
  return { score, small, nearest, ...(neighbourIso ? { neighbourIso } : {}) };
}

/** Inserts (d, r) into the ascending list best[0..at] (slot `at` is overwritten). */
function insert(best: Float64Array, bestAt: Int32Array, at: number, d: number, r: number): void {
  let p = at;
  while (p > 0 && best[p - 1]! > d) {
    best[p] = best[p - 1]!;
    bestAt[p] = bestAt[p - 1]!;
    p--;
  }
  best[p] = d;
  bestAt[p] = r;
}
