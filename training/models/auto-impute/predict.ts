import { conditionalMean } from './gaussian-fill';
import { nearestRows, neighbourMean } from './knn-fill';
import type { ImputerParts } from './column-plan';
import { forestPredict, type ForestFill } from './forest-fill';

/** Per-member predictions of every cell of scaled rows; knn, knnSd [rows × F × T], T = ks[j].length (k < 0: distance-weighted |k|). */
export interface MemberPredictions {
  knn: Float64Array | null;
  knnSd: Float64Array | null;
  gaussian: Float64Array | null;
  /** the kNN member's neighbour lists of the rows (reusable for the same rows and reference) */
  near?: Neighbours;
}

export type Neighbours = ReturnType<typeof nearestRows>;

export interface PredictOptions {
  /** neighbour lists found before for the same rows and reference (nearestRows is the costly part) */
  near?: Neighbours;
  /** 1 for the cells whose kNN fill is wanted; the others get the column mean (the fit's selection reads held-out cells only) */
  only?: Uint8Array;
}

/**
 * kNN: per cell (i, j) the mean of the first k_j of row i's nearest rows that observed j (the column mean
 * when none did, or when row i has no observed cell). Gaussian: each cell's regression on every other cell
 * of the row, μ_j − isd_j Σ_{k≠j} Pn_jk (x̂_k − μ_k) / isd_k, with x̂ the row with its missing cells at their
 * conditional means (at missing cells this is their conditional mean again, to CG's precision).
 */
export function memberPredictions(
  parts: ImputerParts, x: Float32Array, mask: Float32Array,
  ks: readonly (readonly number[])[] = parts.plans.map((p) => [p.byDistance ? -p.k : p.k]),
  options: PredictOptions = {},
): MemberPredictions {
  const f = parts.features;
  const n = x.length / f;
  let knn: Float64Array | null = null;
  let knnSd: Float64Array | null = null;
  let near: Neighbours | undefined;
  // the rows at their conditional means: the Gaussian member's input, and the 'filled' kNN distance's (found once for both)
  const filled = parts.gaussian ? conditionalMean(parts.gaussian, x, mask) : null;
  if (parts.knn) {
    near = options.near ?? (parts.knn.distance === 'filled'
      ? nearestRows(parts.knn, Float32Array.from(filled!), new Float32Array(x.length).fill(1))
      : nearestRows(parts.knn, x, mask));
    const only = options.only;
    const t0 = ks[0]!.length;
    knn = new Float64Array(n * f * t0);
    knnSd = new Float64Array(n * f * t0);
    for (let i = 0; i < n; i++) {
      let any = false;
      for (let j = 0; j < f && !any; j++) any = mask[i * f + j]! > 0.5;
      for (let j = 0; j < f; j++) {
        for (let t = 0; t < t0; t++) {
          const at = (i * f + j) * t0 + t;
          const spec = ks[j]![t]!;
          const wanted = any && (!only || only[i * f + j]);
          const nb = wanted ? neighbourMean(parts.knn, near, i, j, Math.abs(spec), spec < 0) : { mean: 0, sd: 0, count: 0 };
          knn[at] = nb.count ? nb.mean : parts.mean[j]!;
          knnSd[at] = nb.count ? nb.sd : parts.sd[j]!;
        }
      }
    }
  }
  let gaussian: Float64Array | null = null;
  if (parts.gaussian && filled) {
    const g = parts.gaussian;
    gaussian = new Float64Array(n * f);
    const d = new Float64Array(f);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < f; j++) d[j] = (filled[i * f + j]! - g.mean[j]!) / g.invSqrtDiag[j]!;
      for (let j = 0; j < f; j++) {
        let s = 0;
        for (let k = 0; k < f; k++) if (k !== j) s += g.pn[j * f + k]! * d[k]!;
        gaussian[i * f + j] = g.mean[j]! - g.invSqrtDiag[j]! * s;
      }
    }
  }
  return { knn, knnSd, gaussian, ...(near ? { near } : {}) };
}

/**
 * The imputer's output for scaled rows: value and sd of every cell, scaled space. A row with no observed
 * cell gets the column means and sds. With a forest (parts.forest, weight w_j > 0 on some column): the forest
 * reads the row with its missing cells at these plans' values (x where observed) and column j's value becomes
 * (1 − w_j)·plan + w_j·forest (rounded again on a discrete column; at observed cells too, for the score,
 * as the graph); then the same with the second, chained round (parts.forest2) on that value. The sd stays the
 * plan's (calibrated).
 */
export function combine(
  parts: ImputerParts, p: MemberPredictions, mask: Float32Array, x: Float32Array,
): { value: Float64Array; sd: Float64Array } {
  const out = combinePlans(parts, p, mask);
  for (const forest of [parts.forest, parts.forest2]) {
    if (forest && forest.weight.some((w) => w > 0)) forestStep(parts, forest, out.value, mask, x);
  }
  return out;
}

/** One forest round on `value` (in place): (1 − w_j)·value + w_j·forest where w_j > 0, on rows with an observed cell. */
function forestStep(parts: ImputerParts, forest: ForestFill, value: Float64Array, mask: Float32Array, x: Float32Array): void {
  const f = parts.features;
  const input = Float32Array.from(value, (v, c) => (mask[c]! > 0.5 ? x[c]! : v));
  const pred = forestPredict(forest, input);
  const { offset, scale } = parts.scaler;
  for (let c = 0; c < value.length; c++) {
    const j = c % f;
    const w = forest.weight[j]!;
    if (!(w > 0)) continue;
    const i = Math.floor(c / f);
    let any = false;
    for (let k = 0; k < f && !any; k++) any = mask[i * f + k]! > 0.5;
    if (!any) continue;
    let v = (1 - w) * value[c]! + w * pred[c]!;
    if (parts.plans[j]!.round) v = (Math.round(v * scale[j]! + offset[j]!) - offset[j]!) / scale[j]!;
    value[c] = v;
  }
}

function combinePlans(parts: ImputerParts, p: MemberPredictions, mask: Float32Array): { value: Float64Array; sd: Float64Array } {
  const f = parts.features;
  const n = mask.length / f;
  const value = new Float64Array(n * f);
  const sd = new Float64Array(n * f);
  for (let i = 0; i < n; i++) {
    let any = false;
    for (let j = 0; j < f && !any; j++) any = mask[i * f + j]! > 0.5;
    for (let j = 0; j < f; j++) {
      if (!any) {
        value[i * f + j] = parts.mean[j]!;
        sd[i * f + j] = parts.sd[j]!;
        continue;
      }
      const c = i * f + j;
      const plan = parts.plans[j]!;
      const w = plan.weights;
      let v = w.mean * parts.mean[j]!;
      let var_ = w.mean * parts.sd[j]! ** 2;
      if (w.knn > 0) {
        v += w.knn * p.knn![c]!;
        var_ += w.knn * p.knnSd![c]! ** 2;
      }
      if (w.gaussian > 0) {
        v += w.gaussian * p.gaussian![c]!;
        var_ += w.gaussian * parts.gaussian!.invSqrtDiag[j]! ** 2;
      }
      if (plan.round) {
        const { offset, scale } = parts.scaler;
        v = (Math.round(v * scale[j]! + offset[j]!) - offset[j]!) / scale[j]!;
      }
      value[c] = v;
      sd[c] = parts.sdScale[j]! * Math.sqrt(var_) + parts.sdFloor[j]!;
    }
  }
  return { value, sd };
}
