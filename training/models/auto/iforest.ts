import type { Rng } from '../../../core/rng';

/**
 * The isolation member: an isolation forest (Liu, Ting & Zhou 2008) on auto's scaled rows. Each tree is grown
 * on `sample` rows drawn without replacement, splitting on a random feature (one that is not constant in the
 * node) at a uniform value between its node min and max, to depth ⌈log2 sample⌉. A row's path length in a
 * tree is the depth of the leaf it reaches plus c(n), n the training rows that reached that leaf; its score
 * is 2^(−E[path] / c(sample)), in (0, 1], higher = easier to isolate. Scale-free per feature and fitted on
 * small samples, it is not masked by clusters of anomalies the way distances are. Written by hand (no
 * maintained JS isolation forest exports its trees), so that the trees go into the ONNX graph as one
 * ai.onnx.ml TreeEnsembleRegressor (export-auto.ts); `iforestScores` is the JS reference of that node.
 * Missing cells are 0 (the median) in auto's scaled space, as in every member.
 */
export interface IForestMember {
  trees: number;
  sample: number;
  features: number;
  /** Every tree's nodes, concatenated; per node: tree id, node id within the tree, and either a split or a leaf. */
  treeIds: Int32Array;
  nodeIds: Int32Array;
  /** Split feature (−1 for a leaf). */
  feature: Int32Array;
  /** float32 split value: x < value goes to `left` (the ONNX node's BRANCH_LT true branch). */
  value: Float32Array;
  left: Int32Array;
  right: Int32Array;
  /** Leaf path length: depth + c(rows in the leaf); 0 for splits. */
  leafValue: Float32Array;
}

/** Trees and rows per tree: 256 rows as Liu et al.; 200 trees (their 100 left the score's seed-to-seed spread visible). */
export const IFOREST_TREES = 200;
export const IFOREST_SAMPLE = 256;

const EULER = 0.5772156649015329;

/** c(n): the mean path length of an unsuccessful search in a binary search tree of n rows (0 for n ≤ 1). */
export function averagePath(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER) - (2 * (n - 1)) / n;
}

/** Fits the forest on scaled rows x [rows × f] (missing cells 0). */
export function fitIForest(x: Float32Array, rows: number, f: number, rng: Rng, trees = IFOREST_TREES): IForestMember {
  const sample = Math.min(IFOREST_SAMPLE, rows);
  const maxDepth = Math.ceil(Math.log2(Math.max(sample, 2)));
  const nodes = { tree: [] as number[], id: [] as number[], feature: [] as number[], value: [] as number[] };
  const links = { left: [] as number[], right: [] as number[], leaf: [] as number[] };
  for (let t = 0; t < trees; t++) {
    const idx = rng.permutation(rows).slice(0, sample);
    let next = 0;
    const grow = (at: Int32Array, depth: number): number => {
      const id = next++;
      const slot = nodes.tree.length;
      nodes.tree.push(t);
      nodes.id.push(id);
      nodes.feature.push(-1);
      nodes.value.push(0);
      links.left.push(0);
      links.right.push(0);
      links.leaf.push(depth + averagePath(at.length));
      if (depth >= maxDepth || at.length <= 1) return id;
      const split = chooseSplit(x, f, at, rng);
      if (split === null) return id;
      const goesLeft = (r: number) => x[r * f + split.feature]! < split.value;
      const l = at.filter(goesLeft);
      const r = at.filter((v) => !goesLeft(v));
      nodes.feature[slot] = split.feature;
      nodes.value[slot] = split.value;
      links.leaf[slot] = 0;
      links.left[slot] = grow(l, depth + 1);
      links.right[slot] = grow(r, depth + 1);
      return id;
    };
    grow(idx, 0);
  }
  return {
    trees, sample, features: f,
    treeIds: Int32Array.from(nodes.tree), nodeIds: Int32Array.from(nodes.id), feature: Int32Array.from(nodes.feature),
    value: Float32Array.from(nodes.value), left: Int32Array.from(links.left), right: Int32Array.from(links.right),
    leafValue: Float32Array.from(links.leaf),
  };
}

/**
 * A random feature that is not constant on the node's rows (tried in a random order) and a float32 split
 * value strictly inside (min, max], so that both sides get a row; null when every feature is constant.
 */
function chooseSplit(x: Float32Array, f: number, at: Int32Array, rng: Rng): { feature: number; value: number } | null {
  const order = rng.permutation(f);
  for (const j of order) {
    let min = Infinity;
    let max = -Infinity;
    for (const r of at) {
      const v = x[r * f + j]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (!(max > min)) continue;
    const value = Math.fround(min + rng.next() * (max - min));
    // x < value must send min left and max right
    return { feature: j, value: value > min && value <= max ? value : max };
  }
  return null;
}

/** Per row: 2^(−mean path length / c(sample)) over the trees, for scaled rows x [N × f] (missing cells 0). */
export function iforestScores(member: IForestMember, x: Float32Array): Float64Array {
  const { features: f } = member;
  const n = x.length / f;
  const roots: number[] = [];
  for (let i = 0; i < member.nodeIds.length; i++) if (member.nodeIds[i] === 0) roots.push(i);
  const out = new Float64Array(n);
  const norm = averagePath(member.sample);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (const root of roots) {
      let at = root;
      while (member.feature[at]! >= 0) {
        // node ids are tree-local and a tree's nodes are stored in id order from its root
        at = root + (Math.fround(x[i * f + member.feature[at]!]!) < member.value[at]! ? member.left[at]! : member.right[at]!);
      }
      sum += member.leafValue[at]!;
    }
    out[i] = Math.pow(2, -(sum / roots.length) / Math.max(norm, 1e-12));
  }
  return out;
}
