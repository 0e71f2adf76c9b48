/**
 * How auto-series' nearest-window scales share the score (no labels are used by any rule):
 * - 'held-out' (the default, series-detector.ts heldOutWeights): each scale refitted on the first three quarters
 *   of the training rows and its newest-step errors measured on the windows ending in the last quarter;
 *   w ∝ mean(leave-one-out e²) / mean(held-out e²), normalised to sum 1: a scale whose fit holds on training
 *   context it did not see keeps its share, one whose leave-one-out errors were optimistic loses it;
 * - 'context-fit': w ∝ 1 / mean(leave-one-out e²), the inverse-MSE forecast combination (Bates and Granger 1969),
 *   normalised (research: worse on NAB's design half, BENCHMARKS.md);
 * - 'equal': 1 / k each (the rule before).
 */
export type WeightRule = 'equal' | 'context-fit' | 'held-out';

/** Mean and (population) standard deviation of the finite values of v; 0 and 0 when there are none. */
export function meanSd(v: ArrayLike<number>): { mean: number; sd: number } {
  let n = 0;
  let m = 0;
  for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i]!)) { n++; m += v[i]!; }
  if (!n) return { mean: 0, sd: 0 };
  m /= n;
  let v2 = 0;
  for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i]!)) v2 += (v[i]! - m) ** 2;
  return { mean: m, sd: Math.sqrt(v2 / n) };
}

/** Mean of the squares of the finite values of v (0 when there are none). */
export function meanSquare(v: ArrayLike<number>): number {
  const { mean, sd } = meanSd(v);
  return mean * mean + sd * sd;
}

/** Ratio weights (sum 1) ∝ r_i; equal when any r_i is not finite and > 0. */
export function normalisedShares(r: readonly number[]): number[] {
  if (!r.length || !r.every((x) => x > 0 && Number.isFinite(x))) return r.map(() => 1 / r.length);
  const total = r.reduce((a, b) => a + b, 0);
  return r.map((x) => x / total);
}

/** 'equal' or 'context-fit' weights (sum 1) from the scales' leave-one-out errors; equal where a member's are all 0 ('held-out': equal). */
export function contextFitWeights(errors: readonly ArrayLike<number>[], rule: WeightRule): number[] {
  const k = errors.length;
  if (rule === 'equal' || rule === 'held-out' || k === 0) return errors.map(() => 1 / k);
  const fit = errors.map(meanSquare);
  return normalisedShares(fit.map((x) => 1 / x));
}
