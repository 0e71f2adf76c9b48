import type { Rng } from '../rng';
import { modelLayout, SUPPORT_MAX, type ColumnSpec, type ContinuousColumn, type SynthesisSpec } from './column-spec';
import { normalCdf, normalQuantile } from './normal';
import { lowerBound, upperBound } from '../sorted-search';

export interface ProfileOptions {
  /** An integer column with at most this many distinct values is discrete (default 10). */
  maxCategories?: number;
  /** Quantile levels kept per continuous column (default 256). */
  quantiles?: number;
}

/** Rows (indices) with every cell observed (no NaN). */
export function completeRows(values: Float32Array | Float64Array, features: number): number[] {
  const rows: number[] = [];
  const n = values.length / features;
  outer: for (let r = 0; r < n; r++) {
    for (let j = 0; j < features; j++) if (Number.isNaN(values[r * features + j]!)) continue outer;
    rows.push(r);
  }
  return rows;
}

/** Profiles each column of the complete rows (see column-spec.ts for what discrete/continuous mean). */
export function profileColumns(
  values: Float32Array | Float64Array,
  names: readonly string[],
  options: ProfileOptions = {},
): SynthesisSpec {
  const f = names.length;
  const rows = completeRows(values, f);
  const maxCategories = options.maxCategories ?? 10;
  const levels = options.quantiles ?? 256;
  const columns: ColumnSpec[] = names.map((name, j) => {
    const col = Float64Array.from(rows, (r) => values[r * f + j]!).sort();
    const counts = new Map<number, number>();
    let integer = true;
    for (const v of col) {
      if (!Number.isInteger(v)) integer = false;
      if (counts.size <= maxCategories) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    if (col.length > 0 && integer && counts.size <= maxCategories) {
      const keys = [...counts.keys()].sort((a, b) => a - b);
      return { name, kind: 'discrete', values: keys, counts: keys.map((k) => counts.get(k)!) };
    }
    const q = Math.max(2, Math.min(levels, col.length));
    const quantiles = Array.from({ length: q }, (_, i) => quantileOfSorted(col, i / (q - 1)));
    const support = distinctUpTo(col, SUPPORT_MAX);
    return {
      name, kind: 'continuous', integer, min: col[0] ?? 0, max: col[col.length - 1] ?? 0, quantiles, ...(support ? { support } : {}),
    };
  });
  return { columns, rows_used: rows.length, rows_skipped_missing: values.length / f - rows.length };
}

/** The distinct values of a sorted column, or null when there are more than `max`. */
function distinctUpTo(sorted: Float64Array, max: number): number[] | null {
  const out: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) continue;
    if (out.length === max) return null;
    out.push(sorted[i]!);
  }
  return out.length ? out : null;
}

/** The value of the ascending `support` nearest to v. */
export function nearestOf(support: readonly number[], v: number): number {
  const a = lowerBound(support, v);
  if (a === 0) return support[0]!;
  if (a === support.length) return support[a - 1]!;
  return v - support[a - 1]! <= support[a]! - v ? support[a - 1]! : support[a]!;
}

function quantileOfSorted(s: Float64Array, p: number): number {
  if (s.length === 0) return 0;
  const pos = p * (s.length - 1);
  const i = Math.floor(pos);
  const t = pos - i;
  return i + 1 < s.length ? s[i]! + t * (s[i + 1]! - s[i]!) : s[i]!;
}

const EDGE = 1e-3;

/** Raw value → standard normal through the column's quantiles (ties take the middle of their range). */
export function toNormal(c: ContinuousColumn, x: number): number {
  const q = c.quantiles;
  const last = q.length - 1;
  const lo = lowerBound(q, x);
  let p: number;
  if (lo > last) p = 1;
  else if (q[lo] === x) p = (lo + upperBound(q, x) - 1) / 2 / last;
  else if (lo === 0) p = 0;
  else p = (lo - 1 + (x - q[lo - 1]!) / (q[lo]! - q[lo - 1]!)) / last;
  return normalQuantile(Math.min(1 - EDGE, Math.max(EDGE, p)));
}

/** Standard normal → raw value (inside [min, max]; rounded for integer columns; the nearest support value when it has one). */
export function fromNormal(c: ContinuousColumn, y: number): number {
  const q = c.quantiles;
  const last = q.length - 1;
  const u = Number.isFinite(y) ? normalCdf(y) : y > 0 ? 1 : 0;
  const pos = Math.min(last, Math.max(0, u * last));
  const i = Math.min(last - 1, Math.floor(pos));
  const v = q[i]! + (pos - i) * (q[i + 1]! - q[i]!);
  if (c.support) return nearestOf(c.support, v);
  const out = c.integer ? Math.round(v) : v;
  return Math.min(c.max, Math.max(c.min, out));
}

/** Rows (raw, row-major, complete) → model space [n × dim]: normals for continuous, one-hots for discrete. */
export function encodeRows(spec: SynthesisSpec, values: Float32Array | Float64Array, rows: readonly number[]): Float32Array {
  const { spans, dim } = modelLayout(spec);
  const f = spec.columns.length;
  const out = new Float32Array(rows.length * dim);
  const index = spec.columns.map((c) => (c.kind === 'discrete' ? new Map(c.values.map((v, k) => [v, k] as const)) : null));
  rows.forEach((r, i) => {
    for (const s of spans) {
      const c = spec.columns[s.column]!;
      const x = values[r * f + s.column]!;
      if (c.kind === 'continuous') out[i * dim + s.start] = toNormal(c, x);
      else {
        const k = index[s.column]!.get(x);
        if (k !== undefined) out[i * dim + s.start + k] = 1;
      }
    }
  });
  return out;
}

/**
 * Model space → raw rows [n × F]. Discrete spans are logits: with `rng` a category is drawn from their
 * softmax (Gumbel-max), without it the argmax is taken; `fixed` pins columns to a category index.
 */
export function decodeRows(
  spec: SynthesisSpec,
  model: Float32Array,
  n: number,
  rng: Rng | null,
  fixed: ReadonlyMap<number, number> = new Map(),
): Float64Array {
  const { spans, dim } = modelLayout(spec);
  const f = spec.columns.length;
  const out = new Float64Array(n * f);
  for (let i = 0; i < n; i++) {
    for (const s of spans) {
      const c = spec.columns[s.column]!;
      if (c.kind === 'continuous') {
        out[i * f + s.column] = fromNormal(c, model[i * dim + s.start]!);
        continue;
      }
      let best = fixed.get(s.column) ?? -1;
      if (best < 0) {
        let bestV = -Infinity;
        for (let k = 0; k < s.size; k++) {
          let v = model[i * dim + s.start + k]!;
          if (rng) v -= Math.log(-Math.log(rng.next() || Number.MIN_VALUE));
          if (v > bestV) [bestV, best] = [v, k];
        }
      }
      out[i * f + s.column] = c.values[Math.max(0, best)]!;
    }
  }
  return out;
}

/**
 * Raw-unit rows from a model that knows no types (the vae's decoder) → the training columns' types:
 * continuous columns clamped to [min, max] (and rounded when integer), discrete columns snapped to the
 * nearest value seen in training. NaN cells stay NaN.
 */
export function snapRows(spec: SynthesisSpec, values: Float32Array | Float64Array): Float64Array {
  const f = spec.columns.length;
  const out = Float64Array.from(values);
  for (let i = 0; i < out.length; i++) {
    const c = spec.columns[i % f]!;
    const v = out[i]!;
    if (Number.isNaN(v)) continue;
    if (c.kind === 'continuous') {
      out[i] = c.support ? nearestOf(c.support, v) : Math.min(c.max, Math.max(c.min, c.integer ? Math.round(v) : v));
    }
    else {
      let best = c.values[0]!;
      for (const w of c.values) if (Math.abs(w - v) < Math.abs(best - v)) best = w;
      out[i] = best;
    }
  }
  return out;
}
