import type { Rng } from '../../core/rng';
import { modelLayout, type ModelLayout, type SynthesisSpec } from '../../core/synthesis/column-spec';

/**
 * CTGAN's conditional vector and training-by-sampling: each training row of a batch picks a discrete
 * column uniformly, a category of it with probability ∝ log(1 + count) (so rare categories are seen),
 * and a real row holding that category; cond is the one-hot of that (column, category). For generation
 * (no condition given) the category is drawn ∝ count, as CTGAN does, so the marginals stay the data's.
 */
export class CondSampler {
  readonly layout: ModelLayout;
  private readonly discrete: { span: number; rows: number[][]; logP: number[]; p: number[] }[] = [];

  constructor(readonly spec: SynthesisSpec, raw: ArrayLike<number>, rows: readonly number[]) {
    this.layout = modelLayout(spec);
    const f = spec.columns.length;
    this.layout.spans.forEach((s, si) => {
      const c = spec.columns[s.column]!;
      if (c.kind !== 'discrete') return;
      const index = new Map(c.values.map((v, k) => [v, k] as const));
      const byCat: number[][] = c.values.map(() => []);
      rows.forEach((r, i) => byCat[index.get(raw[r * f + s.column]!)!]?.push(i));
      // generation draws ∝ the training counts (the manifest's), training ∝ log(1 + rows present here)
      const present = byCat.map((b) => b.length);
      const logW = present.map((n) => (n > 0 ? Math.log1p(n) : 0));
      this.discrete.push({ span: si, rows: byCat, logP: rows.length ? normalise(logW) : [], p: normalise(c.counts) });
    });
  }

  get condDim(): number {
    return this.layout.condDim;
  }

  /** For a training batch: cond [n × condDim] and, per row, the index (into `rows`) of a real row to pair. */
  train(n: number, count: number, rng: Rng): { cond: Float32Array; pick: Int32Array } {
    const cond = new Float32Array(n * this.condDim);
    const pick = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      if (this.discrete.length === 0) {
        pick[i] = rng.int(count);
        continue;
      }
      const d = this.discrete[rng.int(this.discrete.length)]!;
      const k = draw(d.logP, rng);
      const pool = d.rows[k]!;
      cond[i * this.condDim + this.layout.spans[d.span]!.condStart + k] = 1;
      pick[i] = pool[rng.int(pool.length)]!;
    }
    return { cond, pick };
  }

  /**
   * Mismatched real rows for the critic (matching-aware discrimination, Reed et al. 2016's GAN-CLS): each row's
   * conditioned column (the one its cond names) moved to another category, uniformly among the others, in both the
   * row's one-hot and its cond. A critic that scores these as fakes must learn how the other columns depend on that
   * category, which the generator then has to follow. Rows of a one-category column stay as they are.
   */
  mismatch(x: Float32Array, cond: Float32Array, n: number, rng: Rng): { x: Float32Array; cond: Float32Array } {
    const { dim, condDim, spans } = this.layout;
    const wx = x.slice(0, n * dim);
    const wc = cond.slice(0, n * condDim);
    for (let i = 0; i < n; i++) {
      let s: (typeof spans)[number] | undefined;
      let k = -1;
      for (const sp of spans) {
        if (sp.kind !== 'discrete') continue;
        k = spanHot(cond, i * condDim + sp.condStart, sp.size);
        if (k >= 0) {
          s = sp;
          break;
        }
      }
      if (!s || s.size < 2) continue;
      const other = (k + 1 + rng.int(s.size - 1)) % s.size;
      wc[i * condDim + s.condStart + k] = 0;
      wc[i * condDim + s.condStart + other] = 1;
      wx.fill(0, i * dim + s.start, i * dim + s.start + s.size);
      wx[i * dim + s.start + other] = 1;
    }
    return { x: wx, cond: wc };
  }

  /** For generation: cond [n × condDim]; `fixed` pins columns (by column index) to a category index. */
  generate(n: number, rng: Rng, fixed: ReadonlyMap<number, number> = new Map()): Float32Array {
    const cond = new Float32Array(n * this.condDim);
    if (this.condDim === 0) return cond;
    const pinned = [...fixed.entries()];
    for (let i = 0; i < n; i++) {
      if (pinned.length) {
        const [column, k] = pinned[rng.int(pinned.length)]!;
        const span = this.layout.spans.find((s) => s.column === column)!;
        cond[i * this.condDim + span.condStart + k] = 1;
        continue;
      }
      const d = this.discrete[rng.int(this.discrete.length)]!;
      cond[i * this.condDim + this.layout.spans[d.span]!.condStart + draw(d.p, rng)] = 1;
    }
    return cond;
  }
}

/** The index of the 1 in v[at .. at + size), or -1. */
function spanHot(v: Float32Array, at: number, size: number): number {
  for (let k = 0; k < size; k++) if (v[at + k] === 1) return k;
  return -1;
}

function normalise(w: number[]): number[] {
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / s);
}

function draw(p: readonly number[], rng: Rng): number {
  let u = rng.next();
  for (let k = 0; k < p.length; k++) {
    u -= p[k]!;
    if (u < 0) return k;
  }
  let last = p.length - 1;
  while (last > 0 && p[last] === 0) last--;
  return last;
}
