import type { Rng } from '../../../core/rng';
import { MIN_HELD_CELLS } from './choose-plans';
import type { ImputerParts } from './column-plan';
import {
  FOREST_MIN_ROWS, fitForest, forestBudget, forestPredict, mergeForests, pruneForest, type ForestBudget, type ForestFill,
} from './forest-fill';

/** The forest's shares tried per column: (1 − w)·plan + w·forest. */
export const FOREST_WEIGHTS = [0.25, 0.5, 0.75, 1];
/**
 * A column takes the forest only when it lowers the column's held-out squared error by at least this share below
 * its plan's (the forest costs model size and fill time; chosen a priori, as KNN_MIN_GAIN).
 */
export const FOREST_MIN_GAIN = 0.05;

export interface ForestChoice {
  /** the trees of the columns that took the forest (null: none did) */
  forest: ForestFill | null;
  /** per column: held-out RMSE (raw units) of the plan and of its best blend with the forest (null: not tried) */
  rmsePlan: (number | null)[];
  rmseForest: (number | null)[];
  fitMs: number;
  budget: ForestBudget;
  treesFitted: number;
  /** columns the screen passed (grown to the budget's trees) */
  screened: number;
  /** true: the table is too wide for the budget (fewer than FOREST_MIN_ROWS rows a column); nothing was fitted */
  skipped: boolean;
  nodesFitted: number;
}

/**
 * Trees first fitted for every column (a screen): only columns whose blend with these already comes within half of
 * FOREST_MIN_GAIN of beating their plan get the rest of the budget's trees (the screen's trees are kept among them).
 * On a table the plans fill well (a linear one) the forest then costs a quarter of its full fit.
 */
export const FOREST_SCREEN_TREES = 5;

/**
 * Fits the forest (forest-fill.ts) on the held-out table's rows `x` / `mask` (scaled; their missing cells at the
 * chosen plans' fill `planValue`, combine's output), FOREST_SCREEN_TREES trees a column first, the rest for the
 * columns the screen passes; then per column keeps the weight of FOREST_WEIGHTS whose fill of its held-out cells
 * (`truth`, scaled; finite at held-out cells; ≥ MIN_HELD_CELLS of them) is best, if it beats the plan by
 * FOREST_MIN_GAIN. The held-out cells are hidden in x, so no column's trees saw their values.
 */
export function chooseForest(
  parts: ImputerParts, x: Float32Array, mask: Float32Array, truth: Float32Array, planValue: Float64Array, rng: Rng,
): ForestChoice {
  const t0 = Date.now();
  const f = parts.features;
  const held = new Int32Array(f);
  for (let c = 0; c < x.length; c++) if (mask[c]! < 0.5 && Number.isFinite(truth[c])) held[c % f]++;
  const columns = Array.from({ length: f }, (_, j) => j).filter((j) => held[j]! >= MIN_HELD_CELLS);
  const input = Float32Array.from(planValue, (v, c) => (mask[c]! > 0.5 ? x[c]! : v));
  const observed = Uint8Array.from(mask, (m) => (m > 0.5 ? 1 : 0));
  const budget = forestBudget(f);
  if (budget.maxRows < FOREST_MIN_ROWS) {
    const none = new Array<number | null>(f).fill(null);
    return { forest: null, rmsePlan: none, rmseForest: none, fitMs: 0, budget, treesFitted: 0, nodesFitted: 0, screened: 0, skipped: true };
  }
  const { offset, scale } = parts.scaler;
  const round = (v: number, j: number): number =>
    parts.plans[j]!.round ? (Math.round(v * scale[j]! + offset[j]!) - offset[j]!) / scale[j]! : v;
  const planSse = new Float64Array(f);
  for (let c = 0; c < x.length; c++) if (mask[c]! < 0.5 && Number.isFinite(truth[c])) planSse[c % f] += (truth[c]! - planValue[c]!) ** 2;
  /** per column: the best weight's index and its held-out SSE */
  const bestBlend = (forest: ForestFill): { t: Int32Array; sse: Float64Array } => {
    const pred = forestPredict(forest, input);
    const sse = FOREST_WEIGHTS.map(() => new Float64Array(f));
    for (let c = 0; c < x.length; c++) {
      if (!(mask[c]! < 0.5 && Number.isFinite(truth[c]))) continue;
      const j = c % f;
      FOREST_WEIGHTS.forEach((w, t) => {
        sse[t]![j] += (truth[c]! - round((1 - w) * input[c]! + w * pred[c]!, j)) ** 2;
      });
    }
    const t = new Int32Array(f);
    for (let j = 0; j < f; j++) for (let k = 1; k < FOREST_WEIGHTS.length; k++) if (sse[k]![j]! < sse[t[j]!]![j]!) t[j] = k;
    return { t, sse: Float64Array.from(t, (k, j) => sse[k]![j]!) };
  };
  const screen = fitForest(input, observed, f, columns, rng, { ...budget, trees: Math.min(FOREST_SCREEN_TREES, budget.trees) });
  const first = bestBlend(screen);
  const grow = columns.filter((j) => screen.treesOf[j]! > 0 && first.sse[j]! < (1 - FOREST_MIN_GAIN / 2) * planSse[j]!);
  const rest = fitForest(input, observed, f, grow, rng, { ...budget, trees: budget.trees - FOREST_SCREEN_TREES });
  screen.weight.fill(0);
  for (const j of grow) screen.weight[j] = 1;
  const all = mergeForests(pruneForest(screen), rest);
  const final = bestBlend(all);
  const rmsePlan: (number | null)[] = Array.from(held, (n, j) => (n ? Math.sqrt(planSse[j]! / n) * scale[j]! : null));
  const rmseForest: (number | null)[] = new Array<number | null>(f).fill(null);
  for (const j of columns) {
    const grown = all.treesOf[j]! > 0;
    const sse = grown ? final.sse[j]! : first.sse[j]!;
    rmseForest[j] = Math.sqrt(sse / held[j]!) * scale[j]!;
    if (grown && sse < (1 - FOREST_MIN_GAIN) * planSse[j]!) all.weight[j] = FOREST_WEIGHTS[final.t[j]!]!;
  }
  const kept = all.weight.some((w) => w > 0) ? pruneForest(all) : null;
  const treesFitted = screen.treesOf.reduce((a, b) => a + b, 0) + rest.treesOf.reduce((a, b) => a + b, 0);
  const nodesFitted = screen.nodeIds.length + rest.nodeIds.length;
  const fitMs = Date.now() - t0;
  return { forest: kept, rmsePlan, rmseForest, fitMs, budget, treesFitted, nodesFitted, screened: grow.length, skipped: false };
}
