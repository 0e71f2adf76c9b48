import * as z from 'zod/mini';

/**
 * How a generative model (gan, and vae for its output types) sees each training column, recorded in the
 * manifest's `synthesis` section. A column is `discrete` when all its values are integers and it has at
 * most `max_categories` distinct values (one-hot in model space, a conditional vector for the gan);
 * otherwise `continuous`, mapped through its empirical quantiles to a standard normal (a quantile
 * transform, the documented simpler stand-in for CTGAN's per-mode normalisation: it spreads every mode
 * of a multi-modal column over its own stretch of the normal, and its inverse stays inside [min, max]).
 */
const finite = () => z.number().check(z.refine(Number.isFinite, 'must be finite'));

export const continuousColumnSchema = z.object({
  name: z.string().check(z.minLength(1)),
  kind: z.literal('continuous'),
  integer: z.boolean(),
  min: finite(),
  max: finite(),
  /** Values at probabilities i/(Q−1), i = 0..Q−1 (non-decreasing, first = min, last = max). */
  quantiles: z.array(finite()).check(z.minLength(2)),
  /**
   * The distinct training values, ascending, when there are at most SUPPORT_MAX of them (a column on a lattice:
   * 2-decimal frequencies, a measurement in fixed steps, a float flag): generated values snap to the nearest.
   */
  support: z.optional(z.array(finite()).check(z.minLength(1))),
});

/** Most distinct values a continuous column keeps as its support (more: values are interpolated freely). */
export const SUPPORT_MAX = 256;

export const discreteColumnSchema = z.object({
  name: z.string().check(z.minLength(1)),
  kind: z.literal('discrete'),
  /** The distinct values seen in training, ascending. */
  values: z.array(finite()).check(z.minLength(1)),
  /** How many training rows hold each value. */
  counts: z.array(z.int().check(z.positive())).check(z.minLength(1)),
});

export const synthesisSpecSchema = z.object({
  columns: z.array(z.union([continuousColumnSchema, discreteColumnSchema])).check(z.minLength(1)),
  /** Training rows left out because a cell was missing (rows_in = rows_used + this). */
  rows_skipped_missing: z.int().check(z.nonnegative()),
  rows_used: z.int().check(z.nonnegative()),
});

export type ContinuousColumn = z.infer<typeof continuousColumnSchema>;
export type DiscreteColumn = z.infer<typeof discreteColumnSchema>;
export type ColumnSpec = ContinuousColumn | DiscreteColumn;
export type SynthesisSpec = z.infer<typeof synthesisSpecSchema>;

/** Where each column lives in model space and (discrete columns) in the conditional vector. */
export interface Span {
  column: number;
  kind: 'continuous' | 'discrete';
  start: number;
  size: number;
  /** Offset in the conditional vector (discrete only; -1 for continuous). */
  condStart: number;
}

export interface ModelLayout {
  spans: Span[];
  /** Width of a row in model space. */
  dim: number;
  /** Width of the conditional vector (sum of the discrete columns' categories; 0 without any). */
  condDim: number;
}

export function modelLayout(spec: Pick<SynthesisSpec, 'columns'>): ModelLayout {
  const spans: Span[] = [];
  let dim = 0;
  let condDim = 0;
  spec.columns.forEach((c, column) => {
    if (c.kind === 'continuous') {
      spans.push({ column, kind: 'continuous', start: dim, size: 1, condStart: -1 });
      dim += 1;
    } else {
      spans.push({ column, kind: 'discrete', start: dim, size: c.values.length, condStart: condDim });
      dim += c.values.length;
      condDim += c.values.length;
    }
  });
  return { spans, dim, condDim };
}
