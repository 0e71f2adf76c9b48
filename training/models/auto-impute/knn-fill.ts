import * as tf from '@tensorflow/tfjs';

/**
 * The kNN member of the auto imputer: for a row and a missing column j, the mean of column j over the
 * first k_j of the row's nearest reference rows that observed j. Distance: scikit-learn's nan_euclidean in
 * the imputer's scaled space, d² = F / (cells observed in both) · Σ_{both observed} (a − b)²; a pair with no
 * cell observed in both is infinitely far. Neighbours are looked for among the NEIGHBOURS nearest rows.
 * The ONNX graph (export-imputer.ts) computes the same with two MatMuls, TopK, CumSum; this is the JS side.
 */
export interface KnnFill {
  /** Reference rows, scaled, 0 where missing [rows × features]. */
  reference: Float32Array;
  /** 1 where the reference cell was observed. */
  refMask: Float32Array;
  rows: number;
  features: number;
  /**
   * 'observed': distances over the cells observed in both rows (above). 'filled': plain Euclidean distances
   * between the rows with their missing cells at the Gaussian member's conditional means (distReference).
   */
  distance: 'observed' | 'filled';
  /** The reference rows distances are measured to: `reference` ('observed') or filled ('filled'). */
  distReference: Float32Array;
  distRefMask: Float32Array;
}

/** Nearest rows looked at per row (a column's k neighbours are the first k of them that observed it). */
export const NEIGHBOURS = 48;
/** k values tried per column on the held-out cells. */
export const K_CHOICES = [1, 3, 5, 10, 20, 30] as const;
/** Most reference rows the imputer stores (the graph's MatMuls are [N, 3F] × [3F, rows]). */
export const MAX_REFERENCE_ROWS = 20000;
/** Squared distance given to pairs with no cell observed in both. */
export const FAR = 1e30;

/**
 * Indices [n × NEIGHBOURS'] of each row's nearest reference rows, nearest first (fewer when the reference is
 * small), and their distances. x and mask are the query rows as distances see them (filled rows and a mask of
 * ones for distance 'filled').
 */
export function nearestRows(knn: KnnFill, x: Float32Array, mask: Float32Array): { idx: Int32Array; dist: Float32Array; width: number } {
  const { rows: r, features: f } = knn;
  const width = Math.min(NEIGHBOURS, r);
  const n = x.length / f;
  const idx = new Int32Array(n * width);
  const dist = new Float32Array(n * width);
  const { terms, counts } = referenceTerms(knn);
  const termsT = tf.tensor2d(terms, [3 * f, r]);
  const countsT = tf.tensor2d(counts, [f, r]);
  const CHUNK = 512;
  try {
    for (let start = 0; start < n; start += CHUNK) {
      const rowsHere = Math.min(CHUNK, n - start);
      const xs = x.subarray(start * f, (start + rowsHere) * f);
      const ms = mask.subarray(start * f, (start + rowsHere) * f);
      const lhs = new Float32Array(rowsHere * 3 * f);
      for (let i = 0; i < rowsHere; i++) {
        for (let j = 0; j < f; j++) {
          const v = ms[i * f + j]! > 0.5 ? xs[i * f + j]! : 0;
          const m = ms[i * f + j]! > 0.5 ? 1 : 0;
          lhs[i * 3 * f + j] = v * v;
          lhs[i * 3 * f + f + j] = v;
          lhs[i * 3 * f + 2 * f + j] = m;
        }
      }
      const top = tf.tidy(() => {
        const lhsT = tf.tensor2d(lhs, [rowsHere, 3 * f]);
        const a = tf.matMul(lhsT, termsT);
        const c = tf.matMul(lhsT.slice([0, 2 * f], [rowsHere, f]), countsT);
        const d2 = tf.add(tf.div(tf.mul(a, f), tf.maximum(c, 1)), tf.mul(tf.cast(tf.less(c, 0.5), 'float32'), FAR));
        const t = tf.topk(tf.neg(d2), width, true);
        return [t.indices, tf.sqrt(tf.maximum(tf.neg(t.values), 0))];
      });
      idx.set(top[0]!.dataSync() as Int32Array, start * width);
      dist.set(top[1]!.dataSync() as Float32Array, start * width);
      tf.dispose(top);
    }
  } finally {
    tf.dispose([termsT, countsT]);
  }
  return { idx, dist, width };
}

/**
 * The reference side of the distance: [3F × rows] = [refMask; −2·ref; ref²] (so that [s², s, m] times it is
 * Σ m·r·(s − R)² over cells observed in both) and [F × rows] = refMask (the count of cells observed in both).
 */
export function referenceTerms(knn: KnnFill): { terms: Float32Array; counts: Float32Array } {
  const { rows: r, features: f, distReference: reference, distRefMask: refMask } = knn;
  const terms = new Float32Array(3 * f * r);
  const counts = new Float32Array(f * r);
  for (let row = 0; row < r; row++) {
    for (let j = 0; j < f; j++) {
      const v = reference[row * f + j]!;
      const m = refMask[row * f + j]!;
      terms[j * r + row] = m;
      terms[(f + j) * r + row] = -2 * v * m;
      terms[(2 * f + j) * r + row] = v * v * m;
      counts[j * r + row] = m;
    }
  }
  return { terms, counts };
}

/** Added to a neighbour's distance before it is inverted (distance weighting). */
export const DISTANCE_EPS = 1e-3;

/**
 * Fills cell (i, j) from the neighbour list with the first k neighbours that observed column j: their
 * weighted mean and sd, weights 1 (uniform) or 1 / (distance + DISTANCE_EPS) (byDistance). Returns count 0
 * when none of them did (the caller falls back to the column mean).
 */
export function neighbourMean(
  knn: KnnFill, near: { idx: Int32Array; dist: Float32Array; width: number }, i: number, j: number, k: number, byDistance: boolean,
): { mean: number; sd: number; count: number } {
  const { idx, dist, width } = near;
  const f = knn.features;
  let count = 0;
  let wsum = 0;
  let sum = 0;
  let sum2 = 0;
  for (let t = 0; t < width && count < k; t++) {
    const r = idx[i * width + t]!;
    if (knn.refMask[r * f + j]! < 0.5) continue;
    const v = knn.reference[r * f + j]!;
    const w = byDistance ? 1 / (dist[i * width + t]! + DISTANCE_EPS) : 1;
    count++;
    wsum += w;
    sum += w * v;
    sum2 += w * v * v;
  }
  if (!count) return { mean: 0, sd: 0, count };
  const mean = sum / wsum;
  return { mean, sd: Math.sqrt(Math.max(sum2 / wsum - mean * mean, 0)), count };
}
