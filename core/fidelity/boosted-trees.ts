import { InternalError } from '../errors';
import { lowerBound } from '../sorted-search';

/**
 * A small gradient-boosted classifier for fidelity checks (hand-written: core/ is pure TypeScript and no
 * maintained npm package offers histogram boosting without native code). Logistic loss, Newton leaves
 * (XGBoost's gain with λ = 1), depth-2 trees on ≤ 32 quantile bins per feature, shrinkage 0.3.
 * Depth 2 lets a tree see pairwise interactions, so a C2ST catches broken correlations, not only marginals.
 */
export interface BoostOptions {
  rounds?: number;
  depth?: number;
  learningRate?: number;
  bins?: number;
}

interface Node {
  feature: number;
  bin: number;
  left: number;
  right: number;
  value: number;
}

export class BoostedTrees {
  private readonly trees: Node[][] = [];
  private edges: Float64Array[] = [];
  private base = 0;

  constructor(private readonly o: Required<BoostOptions> = { rounds: 60, depth: 2, learningRate: 0.3, bins: 32 }) {}

  static create(options: BoostOptions = {}): BoostedTrees {
    const { rounds = 60, depth = 2, learningRate = 0.3, bins = 32 } = options;
    return new BoostedTrees({ rounds, depth, learningRate, bins });
  }

  /** x row-major [n × f] (NaN allowed: it falls in bin 0), y ∈ {0, 1}. */
  fit(x: ArrayLike<number>, y: ArrayLike<number>, f: number): this {
    const n = y.length;
    if (x.length !== n * f) throw new InternalError(`x has ${x.length} values for ${n} rows × ${f}`);
    this.edges = Array.from({ length: f }, (_, j) => binEdges(x, n, f, j, this.o.bins));
    const binned = this.bin(x, n, f);
    let pos = 0;
    for (let i = 0; i < n; i++) pos += y[i]!;
    const p0 = Math.min(1 - 1e-6, Math.max(1e-6, pos / n));
    this.base = Math.log(p0 / (1 - p0));
    const margin = new Float64Array(n).fill(this.base);
    const g = new Float64Array(n);
    const h = new Float64Array(n);
    for (let t = 0; t < this.o.rounds; t++) {
      for (let i = 0; i < n; i++) {
        const p = 1 / (1 + Math.exp(-margin[i]!));
        g[i] = p - y[i]!;
        h[i] = Math.max(p * (1 - p), 1e-12);
      }
      const tree: Node[] = [];
      const rows = Int32Array.from({ length: n }, (_, i) => i);
      this.grow(tree, binned, f, rows, g, h, 0);
      this.trees.push(tree);
      for (let i = 0; i < n; i++) margin[i]! += this.leaf(tree, binned, f, i);
    }
    return this;
  }

  /** Logits for rows x [n × f]. */
  predict(x: ArrayLike<number>, f: number): Float64Array {
    const n = Math.floor(x.length / f);
    const binned = this.bin(x, n, f);
    const out = new Float64Array(n).fill(this.base);
    for (const tree of this.trees) for (let i = 0; i < n; i++) out[i]! += this.leaf(tree, binned, f, i);
    return out;
  }

  private bin(x: ArrayLike<number>, n: number, f: number): Uint8Array {
    const b = new Uint8Array(n * f);
    for (let j = 0; j < f; j++) {
      const e = this.edges[j]!;
      for (let i = 0; i < n; i++) {
        const v = x[i * f + j]!;
        b[i * f + j] = Number.isNaN(v) ? 0 : lowerBound(e, v);
      }
    }
    return b;
  }

  private grow(tree: Node[], b: Uint8Array, f: number, rows: Int32Array, g: Float64Array, h: Float64Array, depth: number): number {
    let G = 0;
    let H = 0;
    for (const i of rows) {
      G += g[i]!;
      H += h[i]!;
    }
    const id = tree.length;
    tree.push({ feature: -1, bin: 0, left: -1, right: -1, value: (-G / (H + 1)) * this.o.learningRate });
    if (depth >= this.o.depth || rows.length < 4) return id;
    const nb = this.o.bins + 1;
    let best = 0;
    let bestF = -1;
    let bestB = 0;
    const hg = new Float64Array(nb);
    const hh = new Float64Array(nb);
    const parent = (G * G) / (H + 1);
    for (let j = 0; j < f; j++) {
      hg.fill(0);
      hh.fill(0);
      for (const i of rows) {
        const k = b[i * f + j]!;
        hg[k]! += g[i]!;
        hh[k]! += h[i]!;
      }
      let gl = 0;
      let hl = 0;
      for (let k = 0; k + 1 < nb; k++) {
        gl += hg[k]!;
        hl += hh[k]!;
        const gr = G - gl;
        const hr = H - hl;
        if (hl < 1e-3 || hr < 1e-3) continue;
        const gain = (gl * gl) / (hl + 1) + (gr * gr) / (hr + 1) - parent;
        if (gain > best) [best, bestF, bestB] = [gain, j, k];
      }
    }
    if (bestF < 0) return id;
    const left = rows.filter((i) => b[i * f + bestF]! <= bestB);
    const right = rows.filter((i) => b[i * f + bestF]! > bestB);
    const node = tree[id]!;
    node.feature = bestF;
    node.bin = bestB;
    node.left = this.grow(tree, b, f, left, g, h, depth + 1);
    node.right = this.grow(tree, b, f, right, g, h, depth + 1);
    return id;
  }

  private leaf(tree: Node[], b: Uint8Array, f: number, i: number): number {
    let node = tree[0]!;
    while (node.feature >= 0) node = tree[b[i * f + node.feature]! <= node.bin ? node.left : node.right]!;
    return node.value;
  }
}

function binEdges(x: ArrayLike<number>, n: number, f: number, j: number, bins: number): Float64Array {
  const v: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(x[i * f + j]!)) v.push(x[i * f + j]!);
  v.sort((a, b) => a - b);
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const e = v[Math.floor((k * (v.length - 1)) / bins)];
    if (e !== undefined && (edges.length === 0 || e > edges[edges.length - 1]!)) edges.push(e);
  }
  return Float64Array.from(edges);
}
