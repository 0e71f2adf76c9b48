import { rocAuc } from '../metrics';
import { Rng } from '../rng';
import { BoostedTrees, type BoostOptions } from './boosted-trees';

export interface C2stResult {
  /** Mean out-of-fold ROC-AUC of telling real (1) from synthetic (0): 0.5 = indistinguishable, 1 = fully told apart. */
  auc: number;
  fold_aucs: number[];
  rows_per_side: number;
}

/**
 * Classifier two-sample test: equal numbers of real and synthetic rows (the smaller side's count, rows
 * drawn at random), k-fold (default 5) cross-validated BoostedTrees, ROC-AUC of the held-out folds.
 */
export function c2st(
  real: ArrayLike<number>,
  synthetic: ArrayLike<number>,
  f: number,
  options: { folds?: number; seed?: number; maxRows?: number; boost?: BoostOptions } = {},
): C2stResult {
  const rng = new Rng(options.seed ?? 0);
  const folds = options.folds ?? 5;
  const nr = Math.floor(real.length / f);
  const ns = Math.floor(synthetic.length / f);
  const n = Math.min(nr, ns, options.maxRows ?? 5000);
  const pr = rng.permutation(nr).subarray(0, n);
  const ps = rng.permutation(ns).subarray(0, n);
  const x = new Float64Array(2 * n * f);
  const y = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < f; j++) {
      x[i * f + j] = real[pr[i]! * f + j]!;
      x[(n + i) * f + j] = synthetic[ps[i]! * f + j]!;
    }
    y[i] = 1;
  }
  const order = rng.permutation(2 * n);
  const foldOf = new Int32Array(2 * n);
  order.forEach((row, k) => (foldOf[row] = k % folds));
  const aucs: number[] = [];
  for (let k = 0; k < folds; k++) {
    const tr: number[] = [];
    const te: number[] = [];
    for (let i = 0; i < 2 * n; i++) (foldOf[i] === k ? te : tr).push(i);
    if (te.length === 0 || tr.length === 0) continue;
    const model = BoostedTrees.create(options.boost).fit(pick(x, tr, f), Float64Array.from(tr, (i) => y[i]!), f);
    aucs.push(rocAuc(model.predict(pick(x, te, f), f), Float64Array.from(te, (i) => y[i]!)));
  }
  return { auc: aucs.reduce((a, b) => a + b, 0) / aucs.length, fold_aucs: aucs, rows_per_side: n };
}

function pick(x: Float64Array, rows: readonly number[], f: number): Float64Array {
  const out = new Float64Array(rows.length * f);
  rows.forEach((r, i) => out.set(x.subarray(r * f, r * f + f), i * f));
  return out;
}
