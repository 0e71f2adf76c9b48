import * as z from 'zod/mini';

/** How far a missing cell is from its observed neighbours in its column (docs/contract.md "Series imputation"). */
export type GapClass = 'short' | 'long' | 'open';
export const GAP_CLASSES: readonly GapClass[] = ['short', 'long', 'open'];

/** The blend of the three fills of a missing cell; the weights sum to 1. */
export interface GapWeights {
  linear: number;
  seasonal: number;
  model: number;
}

export interface SeriesColumnParams {
  name: string;
  /** the dominant period in rows (0: none found; the seasonal fill is then the linear one) */
  period_rows: number;
  weights: Record<GapClass, GapWeights>;
  /** the held-out RMSE (raw units) of the column's blend per gap class: the `<col>_std` of a cell filled in time */
  std: Record<GapClass, number | null>;
}

/** manifest.imputation.series: the time-aware stage's parameters (core/series-impute/gap-filler.ts). */
export interface SeriesImputeParams {
  /** rows after a missing cell the filler may read (its future neighbour must lie within them) */
  look_ahead_rows: number;
  /** a gap of at most this many rows between observed neighbours is 'short' */
  short_gap_rows: number;
  /** 'timestamps': interpolation weights from the time column; 'rows': from row numbers (training without timestamps) */
  time_basis: 'timestamps' | 'rows';
  columns: SeriesColumnParams[];
}

const weight = z.number().check(z.gte(0), z.lte(1));
const weights = z.object({ linear: weight, seasonal: weight, model: weight });
const std = z.nullable(z.number().check(z.gte(0)));
const schema = z.object({
  look_ahead_rows: z.int().check(z.gte(1), z.lte(1_000_000)),
  short_gap_rows: z.int().check(z.gte(0)),
  time_basis: z.enum(['timestamps', 'rows']),
  columns: z.array(z.object({
    name: z.string().check(z.minLength(1)),
    period_rows: z.int().check(z.gte(0), z.lte(1_000_000)),
    weights: z.object({ short: weights, long: weights, open: weights }),
    std: z.object({ short: std, long: std, open: std }),
  })),
});

/**
 * Reads manifest.imputation.series (null when the imputer has none: a table imputer). Throws a plain Error with
 * zod's message on a malformed block; the caller wraps it as its own error.
 */
export function seriesParamsOf(imputation: unknown, features: readonly string[]): SeriesImputeParams | null {
  if (imputation === null || typeof imputation !== 'object' || !('series' in imputation)) return null;
  const parsed = schema.parse((imputation as { series: unknown }).series) as SeriesImputeParams;
  if (parsed.columns.length !== features.length || parsed.columns.some((c, j) => c.name !== features[j]))
    throw new Error('imputation.series.columns must name the model features, in order');
  for (const c of parsed.columns) {
    for (const g of GAP_CLASSES) {
      const w = c.weights[g];
      if (Math.abs(w.linear + w.seasonal + w.model - 1) > 1e-6) throw new Error(`imputation.series weights of '${c.name}' must sum to 1`);
    }
  }
  return parsed;
}
