import { planFor, type ColumnPlan } from './column-plan';
import { K_CHOICES } from './knn-fill';

/** The kNN variants tried: each k of K_CHOICES uniform, then distance-weighted (as −k). */
export const KNN_SPECS: readonly number[] = [...K_CHOICES, ...K_CHOICES.map((k) => -k)];

/** Held-out cells of one column and every candidate's fill of them, raw units. */
export interface ColumnCandidates {
  truth: number[];
  mean: number[];
  /** [cell][t] for KNN_SPECS[t]; empty when the kNN member is not tried. */
  knn: number[][];
  /** empty when the Gaussian member is not tried */
  gaussian: number[];
  /** a discrete column: fills are compared (and made) rounded to whole numbers */
  round: boolean;
}

/** Fewer held-out cells than this: the column takes the plan that is best over all columns. */
export const MIN_HELD_CELLS = 10;
export const BLEND_WEIGHTS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
/**
 * A plan that needs the kNN member (the costly part of the graph: a MatMul against every reference row) is kept
 * only when it lowers the column's held-out squared error by at least this share below the best plan without it.
 */
export const KNN_MIN_GAIN = 0.01;

export interface ColumnChoice {
  plan: ColumnPlan;
  cells: number;
  /** RMSE on the held-out cells, raw units: the chosen plan and each pure candidate (null: not tried). */
  rmse: number;
  rmseMean: number;
  rmseKnn: number | null;
  rmseGaussian: number | null;
  /** true when the column had too few held-out cells and took the overall best plan */
  fallback: boolean;
}

interface Option {
  plan: ColumnPlan;
  fill: (c: number) => number;
}

function options(col: ColumnCandidates): Option[] {
  const out: Option[] = [{ plan: planFor('mean', 5), fill: (c) => col.mean[c]! }];
  if (col.gaussian.length) out.push({ plan: planFor('gaussian', 5), fill: (c) => col.gaussian[c]! });
  if (col.knn.length) {
    KNN_SPECS.forEach((k, t) => out.push({ plan: planFor('knn', Math.abs(k), k < 0), fill: (c) => col.knn[c]![t]! }));
  }
  return out;
}

function sse(col: ColumnCandidates, fill: (c: number) => number): number {
  let s = 0;
  for (let c = 0; c < col.truth.length; c++) s += (col.truth[c]! - (col.round ? Math.round(fill(c)) : fill(c))) ** 2;
  return s;
}

/**
 * Per column, the fill with the smallest squared error on its held-out cells among: the column mean, the
 * Gaussian member, kNN with each k of K_CHOICES, and blends w·kNN(best k) + (1 − w)·Gaussian (a plan with kNN
 * must beat the best one without by KNN_MIN_GAIN). Columns with
 * fewer than MIN_HELD_CELLS held-out cells take the plan whose error, summed over the other columns in units
 * of each column's variance, is smallest.
 */
export function choosePlans(columns: ColumnCandidates[], variance: ArrayLike<number>): ColumnChoice[] {
  const totals = new Map<string, { plan: ColumnPlan; err: number }>();
  const picks = columns.map((col, j) => {
    if (col.truth.length < MIN_HELD_CELLS) return null;
    const opts = options(col);
    const scored = opts.map((o) => ({ ...o, err: sse(col, o.fill) }));
    let best = scored.reduce((a, b) => (b.err < a.err ? b : a));
    const bestKnn = scored.filter((o) => o.plan.method === 'knn').reduce<typeof best | null>((a, b) => (!a || b.err < a.err ? b : a), null);
    if (bestKnn && col.gaussian.length) {
      for (const w of BLEND_WEIGHTS) {
        const t = specIndex(bestKnn.plan);
        const fill = (c: number): number => w * col.knn[c]![t]! + (1 - w) * col.gaussian[c]!;
        const err = sse(col, fill);
        const plan = planFor('blend', bestKnn.plan.k, bestKnn.plan.byDistance, w);
        scored.push({ plan, fill, err });
        if (err < best.err) best = { plan, fill, err };
      }
    }
    const noKnn = scored.filter((o) => o.plan.weights.knn === 0).reduce((a, b) => (b.err < a.err ? b : a));
    if (best.plan.weights.knn > 0 && best.err > (1 - KNN_MIN_GAIN) * noKnn.err) best = noKnn;
    const v = Math.max(variance[j]!, 1e-12);
    for (const o of scored) {
      if (o.plan.method === 'blend' && o.plan.weights.knn !== 0.5) continue;
      const key = `${o.plan.method}:${o.plan.method === 'blend' ? 5 : o.plan.k}:${o.plan.byDistance}`;
      const entry = totals.get(key) ?? { plan: o.plan, err: 0 };
      entry.err += o.err / v;
      totals.set(key, entry);
    }
    return best.plan;
  });
  const overall = [...totals.values()].reduce<{ plan: ColumnPlan; err: number } | null>((a, b) => (!a || b.err < a.err ? b : a), null);
  return columns.map((col, j) => {
    const fallback = picks[j] === null;
    const plan = { ...(picks[j] ?? overall?.plan ?? planFor('mean', 5)), round: col.round };
    const n = Math.max(col.truth.length, 1);
    const rmseOf = (fill: (c: number) => number): number => Math.sqrt(sse(col, fill) / n);
    const t5 = KNN_SPECS.indexOf(5);
    const tk = specIndex(plan);
    const chosen = (c: number): number =>
      plan.weights.mean * col.mean[c]! + (plan.weights.knn ? plan.weights.knn * col.knn[c]![tk]! : 0) +
      (plan.weights.gaussian ? plan.weights.gaussian * col.gaussian[c]! : 0);
    return {
      plan, cells: col.truth.length, fallback,
      rmse: col.truth.length ? rmseOf(chosen) : NaN,
      rmseMean: col.truth.length ? rmseOf((c) => col.mean[c]!) : NaN,
      rmseKnn: col.knn.length && col.truth.length ? rmseOf((c) => col.knn[c]![t5]!) : null,
      rmseGaussian: col.gaussian.length && col.truth.length ? rmseOf((c) => col.gaussian[c]!) : null,
    };
  });
}

function specIndex(plan: ColumnPlan): number {
  return KNN_SPECS.indexOf(plan.byDistance ? -plan.k : plan.k);
}
