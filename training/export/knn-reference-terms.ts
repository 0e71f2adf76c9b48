/**
 * The stored weights of a kNN MatMul: for reference rows R [rows × d] (row-major), the [2·d × rows] matrix
 * [−R²ᵀ; 2Rᵀ], so [m, s] × it = 2·s·R_r − m·R_r² per reference row r (s is 0 where the mask m is 0), which is
 * −d²(s, R_r) over the observed cells up to the row constant Σ s²: TopK of it picks the nearest rows.
 */
export function knnReferenceTerms(reference: Float32Array, rows: number, d: number): Float32Array {
  const weights = new Float32Array(2 * d * rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < d; c++) {
      const v = reference[r * d + c]!;
      weights[c * rows + r] = -v * v;
      weights[(d + c) * rows + r] = 2 * v;
    }
  }
  return weights;
}
