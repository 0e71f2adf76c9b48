import { GAP_CLASSES, type GapClass, type GapWeights } from '../../../core/series-impute/params';
import type { CellCandidates } from '../../../core/series-impute/gap-filler';

/** Weight steps of the blend grid (weights in 0, 0.1, …, 1 summing to 1). */
export const WEIGHT_STEPS = 10;
/** A gap class with fewer held-out cells than this takes the weights chosen on all of the column's cells. */
export const MIN_CLASS_CELLS = 20;
/**
 * A blend replaces a simpler one (the column's blend linear, a class's blend the column's) only when its mean squared
 * error on the held-out cells is lower by more than this many standard errors of the paired difference: on a
 * heavy-tailed series a few spikes decide the RMSE, and a gain they produce is not evidence.
 */
export const SIGNIFICANCE_Z = 2;

export interface HeldCell extends CellCandidates {
  truth: number;
}

export interface ColumnChoice {
  weights: Record<GapClass, GapWeights>;
  std: Record<GapClass, number | null>;
  cells: Record<GapClass, number>;
  /** held-out RMSE over all the column's cells: the chosen blend, and linear / seasonal / model alone */
  rmse: number | null;
  rmseLinear: number | null;
  rmseSeasonal: number | null;
  rmseModel: number | null;
}

/** Every blend of the grid; linear-heavy first, so that a tie keeps the simpler fill. */
export function weightGrid(seasonal: boolean): GapWeights[] {
  const out: GapWeights[] = [];
  for (let l = WEIGHT_STEPS; l >= 0; l--) {
    for (let s = seasonal ? WEIGHT_STEPS - l : 0; s >= 0; s--) {
      const m = WEIGHT_STEPS - l - s;
      out.push({ linear: l / WEIGHT_STEPS, seasonal: s / WEIGHT_STEPS, model: m / WEIGHT_STEPS });
    }
  }
  return out;
}

const fillOf = (w: GapWeights, c: CellCandidates) => w.linear * c.linear + w.seasonal * c.seasonal + w.model * c.model;

function rmseOf(cells: readonly HeldCell[], w: GapWeights): number {
  let s = 0;
  for (const c of cells) s += (fillOf(w, c) - c.truth) ** 2;
  return Math.sqrt(s / cells.length);
}

/** The grid blend with the lowest RMSE on `cells` (a later one must beat the best so far by 0.1 %). */
function best(cells: readonly HeldCell[], grid: readonly GapWeights[]): { w: GapWeights; rmse: number } {
  let top = { w: grid[0]!, rmse: rmseOf(cells, grid[0]!) };
  for (const w of grid.slice(1)) {
    const r = rmseOf(cells, w);
    if (r < top.rmse * 0.999) top = { w, rmse: r };
  }
  return top;
}

/** Whether `w` fills `cells` with a lower mean squared error than `than`, by SIGNIFICANCE_Z standard errors. */
function clearlyBetter(cells: readonly HeldCell[], w: GapWeights, than: GapWeights): boolean {
  let s = 0;
  let s2 = 0;
  for (const c of cells) {
    const d = (fillOf(w, c) - c.truth) ** 2 - (fillOf(than, c) - c.truth) ** 2;
    s += d;
    s2 += d * d;
  }
  const n = cells.length;
  const mean = s / n;
  const se = Math.sqrt(Math.max(0, s2 / n - mean * mean) / n);
  return mean + SIGNIFICANCE_Z * se < 0;
}

/**
 * The blend of linear / seasonal / model fills with the lowest held-out RMSE over all of the column's cells where it is
 * clearly better than linear (clearlyBetter), else linear; and per gap class its own best blend where that is clearly
 * better than the column's on the class's cells; a
 * class with fewer than MIN_CLASS_CELLS cells takes the column's blend ('open', which the holdout does not
 * simulate, is judged on the 'long' cells when 'long' has enough). The sd of a class is the blend's held-out RMSE there.
 * No held-out cell at all: linear, sd unknown.
 */
export function chooseWeights(cells: readonly HeldCell[], seasonal: boolean): ColumnChoice {
  const grid = weightGrid(seasonal);
  const linear = grid[0]!;
  const by: Record<GapClass, HeldCell[]> = { short: [], long: [], open: [] };
  for (const c of cells) by[c.cls].push(c);
  const count = { short: by.short.length, long: by.long.length, open: by.open.length };
  if (cells.length === 0) {
    const w = { short: linear, long: linear, open: linear };
    const std = { short: null, long: null, open: null };
    return { weights: w, std, cells: count, rmse: null, rmseLinear: null, rmseSeasonal: null, rmseModel: null };
  }
  const top = best(cells, grid);
  const all = clearlyBetter(cells, top.w, linear) ? top : { w: linear, rmse: rmseOf(cells, linear) };
  const weights = {} as Record<GapClass, GapWeights>;
  const std = {} as Record<GapClass, number | null>;
  for (const g of GAP_CLASSES) {
    const own = by[g].length >= MIN_CLASS_CELLS ? by[g] : g === 'open' && by.long.length >= MIN_CLASS_CELLS ? by.long : null;
    // a class keeps the column's blend unless its own is clearly better on its cells (a tie is no evidence)
    const pooled = own ? rmseOf(own, all.w) : all.rmse;
    const mine = own ? best(own, grid) : null;
    const pick = own && mine && clearlyBetter(own, mine.w, all.w) ? mine : { w: all.w, rmse: pooled };
    weights[g] = pick.w;
    std[g] = pick.rmse;
  }
  let sse = 0;
  for (const c of cells) sse += (fillOf(weights[c.cls], c) - c.truth) ** 2;
  return {
    weights, std, cells: count, rmse: Math.sqrt(sse / cells.length),
    rmseLinear: rmseOf(cells, linear),
    rmseSeasonal: seasonal ? rmseOf(cells, { linear: 0, seasonal: 1, model: 0 }) : null,
    rmseModel: rmseOf(cells, { linear: 0, seasonal: 0, model: 1 }),
  };
}
