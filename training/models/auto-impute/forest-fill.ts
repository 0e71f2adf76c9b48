import type { Rng } from '../../../core/rng';
import type { ScalerParams } from '../../../core/scaler';

/**
 * The forest member (MissForest-style; fit-imputer.ts runs a second, chained round): per column, extremely randomised
 * regression trees (Geurts et al. 2006: at each node one uniform random threshold per feature, the best of those by squared error) on the
 * other columns of the row, whose missing cells hold the current plans' fill. Scaled space. Exported as one
 * ai.onnx.ml TreeEnsembleRegressor (n_targets = F, SUM of leaf means / trees of the column); the trees of column
 * j never split on j.
 *
 * Cost budget (fixed before looking at any benchmark result; forestBudget): FOREST_TREES trees a column, at most
 * FOREST_CELL_BUDGET (rows × candidate features × trees × columns) training cells — rows are subsampled beyond —
 * (a table so wide that this leaves fewer than FOREST_MIN_ROWS rows a column does not try the forest)
 * and at most FOREST_NODE_BUDGET nodes in all (model size and fill cost), shared equally by the trees and enforced
 * by growing each tree breadth first and stopping at its share.
 */
export const FOREST_TREES = 20;
export const FOREST_MIN_LEAF = 3;
export const FOREST_CELL_BUDGET = 1.2e8;
export const FOREST_NODE_BUDGET = 250_000;
/** Fewer training rows a column than this under the cell budget (F above about 245): the forest is not tried. */
export const FOREST_MIN_ROWS = 100;

export interface ForestBudget {
  trees: number;
  /** most training rows a column's trees see (a seeded subsample of the rows that observe it) */
  maxRows: number;
  /** most nodes (splits + leaves) of one tree */
  maxNodes: number;
  minLeaf: number;
}

export function forestBudget(f: number): ForestBudget {
  const trees = FOREST_TREES;
  const maxRows = Math.floor(FOREST_CELL_BUDGET / (trees * f * Math.max(f - 1, 1)));
  const maxNodes = Math.max(3, Math.floor(FOREST_NODE_BUDGET / (trees * f)));
  return { trees, maxRows, maxNodes, minLeaf: FOREST_MIN_LEAF };
}

/** Every tree of every column, flattened (node ids restart at 0 in each tree; children are tree-local ids). */
export interface ForestFill {
  features: number;
  /** per column: its share of the fill (0: the column has no trees or keeps its plan) */
  weight: Float64Array;
  /** per column: how many trees it has */
  treesOf: Int32Array;
  treeIds: Int32Array;
  nodeIds: Int32Array;
  /** split feature (−1: leaf) */
  feature: Int32Array;
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  /** a leaf's mean target (0 at splits) */
  leafValue: Float32Array;
  /** the column (target) of each node's tree */
  target: Int32Array;
  budget: ForestBudget;
  trainingRows: number[];
}

interface Tree { feature: number[]; threshold: number[]; left: number[]; right: number[]; leafValue: number[] }

/** One extremely randomised tree of y on x's columns other than `skip` (rows `rows` of the row-major x). */
function growTree(x: Float32Array, f: number, y: Float64Array, rows: Int32Array, skip: number, b: ForestBudget, rng: Rng): Tree {
  const t: Tree = { feature: [], threshold: [], left: [], right: [], leafValue: [] };
  const idx = rows.slice();
  const lo = new Float64Array(f);
  const hi = new Float64Array(f);
  const thr = new Float64Array(f);
  const sumL = new Float64Array(f);
  const cntL = new Int32Array(f);
  const newNode = (): number => {
    t.feature.push(-1); t.threshold.push(0); t.left.push(-1); t.right.push(-1); t.leafValue.push(0);
    return t.feature.length - 1;
  };
  const queue: [number, number, number][] = [[newNode(), 0, idx.length]];
  for (let q = 0; q < queue.length; q++) {
    const [node, a, z] = queue[q]!;
    let sum = 0;
    for (let i = a; i < z; i++) sum += y[idx[i]!]!;
    t.leafValue[node] = sum / (z - a);
    if (z - a < 2 * b.minLeaf || t.feature.length + 2 > b.maxNodes) continue;
    lo.fill(Infinity);
    hi.fill(-Infinity);
    for (let i = a; i < z; i++) {
      const o = idx[i]! * f;
      for (let k = 0; k < f; k++) {
        const v = x[o + k]!;
        if (v < lo[k]!) lo[k] = v;
        if (v > hi[k]!) hi[k] = v;
      }
    }
    for (let k = 0; k < f; k++) thr[k] = k !== skip && hi[k]! > lo[k]! ? Math.fround(lo[k]! + rng.next() * (hi[k]! - lo[k]!)) : NaN;
    sumL.fill(0);
    cntL.fill(0);
    for (let i = a; i < z; i++) {
      const o = idx[i]! * f;
      const v = y[idx[i]!]!;
      for (let k = 0; k < f; k++) {
        if (x[o + k]! < thr[k]!) {
          sumL[k] += v;
          cntL[k]++;
        }
      }
    }
    const n = z - a;
    let best = -1;
    let bestScore = (sum * sum) / n;
    for (let k = 0; k < f; k++) {
      const nl = cntL[k]!;
      if (Number.isNaN(thr[k]!) || nl < b.minLeaf || n - nl < b.minLeaf) continue;
      const score = (sumL[k]! * sumL[k]!) / nl + ((sum - sumL[k]!) * (sum - sumL[k]!)) / (n - nl);
      if (score > bestScore + 1e-12) {
        bestScore = score;
        best = k;
      }
    }
    if (best < 0) continue;
    let m = a;
    for (let i = a; i < z; i++) {
      if (x[idx[i]! * f + best]! < thr[best]!) {
        const s = idx[m]!;
        idx[m++] = idx[i]!;
        idx[i] = s;
      }
    }
    t.feature[node] = best;
    t.threshold[node] = thr[best]!;
    const l = newNode();
    const r = newNode();
    t.left[node] = l;
    t.right[node] = r;
    queue.push([l, a, m], [r, m, z]);
  }
  return t;
}

/**
 * Fits the trees of each column in `columns` on rows `x` (row-major, scaled, every cell filled: observed or the
 * plans' fill); target of column j: x's cell where observed[r·F + j] is 1 (a seeded subsample of at most
 * budget.maxRows of those rows). Columns not listed get no trees.
 */
export function fitForest(
  x: Float32Array, observed: Uint8Array, f: number, columns: readonly number[], rng: Rng, b = forestBudget(f),
): ForestFill {
  const n = x.length / f;
  const nodes: Tree[] = [];
  const treeTarget: number[] = [];
  const treesOf = new Int32Array(f);
  const trainingRows = new Array<number>(f).fill(0);
  for (const j of columns) {
    const have: number[] = [];
    for (let r = 0; r < n; r++) if (observed[r * f + j]) have.push(r);
    if (have.length < 2 * b.minLeaf) continue;
    const order = rng.permutation(have.length).subarray(0, Math.min(have.length, b.maxRows));
    const rows = Int32Array.from(order, (i) => have[i]!);
    trainingRows[j] = rows.length;
    const y = new Float64Array(n);
    for (const r of rows) y[r] = x[r * f + j]!;
    for (let t = 0; t < b.trees; t++) {
      nodes.push(growTree(x, f, y, rows, j, b, rng));
      treeTarget.push(j);
    }
    treesOf[j] = b.trees;
  }
  const total = nodes.reduce((s, t) => s + t.feature.length, 0);
  const out: ForestFill = {
    features: f, weight: new Float64Array(f), treesOf, budget: b, trainingRows,
    treeIds: new Int32Array(total), nodeIds: new Int32Array(total), feature: new Int32Array(total), threshold: new Float32Array(total),
    left: new Int32Array(total), right: new Int32Array(total), leafValue: new Float32Array(total), target: new Int32Array(total),
  };
  let at = 0;
  nodes.forEach((t, id) => {
    for (let i = 0; i < t.feature.length; i++, at++) {
      out.treeIds[at] = id;
      out.nodeIds[at] = i;
      out.feature[at] = t.feature[i]!;
      out.threshold[at] = t.threshold[i]!;
      out.left[at] = t.left[i]!;
      out.right[at] = t.right[i]!;
      out.leafValue[at] = t.leafValue[i]!;
      out.target[at] = treeTarget[id]!;
    }
  });
  return out;
}

/** Each column's forest prediction (mean over its trees; 0 for columns without trees) of every row of x [n × F]. */
export function forestPredict(forest: ForestFill, x: Float32Array): Float64Array {
  const f = forest.features;
  const n = x.length / f;
  const out = new Float64Array(n * f);
  const starts: number[] = [];
  for (let i = 0; i < forest.nodeIds.length; i++) if (forest.nodeIds[i] === 0) starts.push(i);
  for (let r = 0; r < n; r++) {
    const o = r * f;
    for (const s of starts) {
      let node = 0;
      while (forest.feature[s + node]! >= 0) {
        node = x[o + forest.feature[s + node]!]! < forest.threshold[s + node]! ? forest.left[s + node]! : forest.right[s + node]!;
      }
      const j = forest.target[s]!;
      out[o + j] += forest.leafValue[s + node]! / forest.treesOf[j]!;
    }
  }
  return out;
}

/** Keeps only the trees of columns with weight > 0 (what is exported). */
export function pruneForest(forest: ForestFill): ForestFill {
  const keep = Array.from(forest.target, (j) => forest.weight[j]! > 0);
  const pick = <T extends Int32Array | Float32Array>(a: T): T => a.filter((_, i) => keep[i]) as T;
  const treesOf = Int32Array.from(forest.treesOf, (t, j) => (forest.weight[j]! > 0 ? t : 0));
  return {
    ...forest, treesOf, treeIds: pick(forest.treeIds), nodeIds: pick(forest.nodeIds), feature: pick(forest.feature),
    threshold: pick(forest.threshold), left: pick(forest.left), right: pick(forest.right), leafValue: pick(forest.leafValue),
    target: pick(forest.target),
  };
}

/**
 * The same forest for rows scaled by `to` instead of `from` (ScalerParams: scaled = (raw − offset) / scale, scale > 0):
 * thresholds and leaf values mapped through raw units, so every row takes the same path and gets the same raw fill.
 */
export function rescaleForest(forest: ForestFill, from: ScalerParams, to: ScalerParams): ForestFill {
  const map = (v: number, j: number): number => (v * from.scale[j]! + from.offset[j]! - to.offset[j]!) / to.scale[j]!;
  return {
    ...forest,
    threshold: Float32Array.from(forest.threshold, (t, i) => (forest.feature[i]! >= 0 ? map(t, forest.feature[i]!) : 0)),
    leafValue: Float32Array.from(forest.leafValue, (v, i) => map(v, forest.target[i]!)),
  };
}

/** a's trees then b's (b's tree ids after a's), the columns' tree counts added; weights 0. */
export function mergeForests(a: ForestFill, b: ForestFill): ForestFill {
  const shift = a.treeIds.reduce((m, t) => Math.max(m, t + 1), 0);
  const cat = <T extends Int32Array | Float32Array>(x: T, y: T): T => {
    const out = new (x.constructor as new (n: number) => T)(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  return {
    ...a, weight: new Float64Array(a.features), treesOf: Int32Array.from(a.treesOf, (t, j) => t + b.treesOf[j]!),
    trainingRows: a.trainingRows.map((r, j) => Math.max(r, b.trainingRows[j]!)),
    treeIds: cat(a.treeIds, Int32Array.from(b.treeIds, (t) => t + shift)), nodeIds: cat(a.nodeIds, b.nodeIds),
    feature: cat(a.feature, b.feature), threshold: cat(a.threshold, b.threshold), left: cat(a.left, b.left),
    right: cat(a.right, b.right), leafValue: cat(a.leafValue, b.leafValue), target: cat(a.target, b.target),
  };
}
