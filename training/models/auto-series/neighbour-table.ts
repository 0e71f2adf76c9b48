/**
 * The leave-one-out neighbour of every reference window: for window r, the other window r' ≠ r nearest to it by
 * squared distance over all its cells (ties: the lower index). The graph uses it where a scored window is at
 * distance 0 from its nearest reference window (it is that training window, or an exact copy of it): the
 * neighbour is then the second nearest, which is what TopK 2 gave, without a TopK (export-series-nearest.ts).
 * Float64 sums of float32 differences, like scaleErrors in series-detector.ts. O(rows² · d), once at training.
 */
export function neighbourTable(reference: Float32Array, rows: number, d: number): number[] {
  const out = new Array<number>(rows).fill(0);
  for (let r = 0; r < rows; r++) {
    let best = Infinity;
    let at = r === 0 ? Math.min(1, rows - 1) : 0;
    const a = r * d;
    for (let q = 0; q < rows; q++) {
      if (q === r) continue;
      const b = q * d;
      let dist = 0;
      for (let c = 0; c < d && dist < best; c++) {
        const e = reference[a + c]! - reference[b + c]!;
        dist += e * e;
      }
      if (dist < best) {
        best = dist;
        at = q;
      }
    }
    out[r] = at;
  }
  return out;
}
