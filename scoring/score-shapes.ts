/**
 * What scoreTable takes and gives: the modes, its options, the scored rows and batches, the run's counts and
 * the columns each mode appends. Kept apart from the transform (score-table.ts), which re-exports them.
 */
import type { CsvDelimiter, OutputCell, RowRejection, TableRow } from '../core/io';
import type { Manifest } from '../core/manifest';
import type { TimeSummary } from '../core/time/time-order';
import type { SeriesState } from './series-state';

export type ScoreMode = 'detect' | 'impute' | 'denoise' | 'embed';
export const SCORE_MODES: readonly ScoreMode[] = ['detect', 'impute', 'denoise', 'embed'];

export interface ScoredRow {
  source: TableRow;
  /**
   * all cells of a row written whole; scoreTable leaves it undefined (impute and denoise give a `source` with
   * the replaced cells spliced into its own text: core/io/csv-spliced-row.ts for CSV, replace-feature-cells.ts else)
   */
  cells?: OutputCell[];
  /** appended column values (null = empty) */
  extra: OutputCell[];
}

export interface ScoredBatch {
  columns: string[];
  /** CSV input: its delimiter, kept for a CSV output */
  delimiter?: CsvDelimiter;
  /** indices of the model's feature columns within `columns` */
  featureColumns: number[];
  extraColumns: string[];
  rows: ScoredRow[];
}

export interface ScoreStats {
  rowsIn: number;
  rowsOut: number;
  rowsRejected: number;
  /** rows written with empty model columns (a subset of rowsOut): no observed feature, or before a windowed model's first full window */
  rowsUnscored: number;
  anomalies: number;
  cellsImputed: number;
  /** per feature (the manifest's order): accepted rows whose cell was missing; [] until the first chunk */
  missingCells: number[];
  /** rejection counts by reason, without line numbers (as in the CLI's summary) */
  rejectedReasons: Record<string, number>;
  modelMs: number;
}

export interface ScoreTableOptions {
  mode: ScoreMode;
  /** how many features `top_features` names (default 3) */
  topK?: number;
  /** called for each rejected row, in input order within a chunk */
  onRejected?: (rejection: RowRejection) => void;
  /** the time column: rows are checked to be in time order (docs/contract.md "Time column"); never a feature */
  timeColumn?: string | null;
  /** the time column was named on the command line: a table without it is then a usage error (else a schema mismatch) */
  timeColumnFromFlag?: boolean;
  /** resume a series scored before (detect and embed): the window stage and the probability model start from it */
  state?: SeriesState | null;
  /** called once after the last batch: the state to resume from, the time-column summary, what the run saw */
  onEnd?: (end: SeriesEnd) => void;
  /** mode 'impute': add `imputed_<col>` per feature, and `<col>_std` where the model gives an sd (imputeColumns) */
  imputeFlags?: boolean;
}

export interface SeriesEnd {
  state: SeriesState;
  time: TimeSummary | null;
  /** rows pushed to the model in this run, and rows of the series in all (state.rows_seen included) */
  rowsAccepted: number;
  rowsSeen: number;
  /** every feature held a single value (or none) over the rows accepted in this run */
  constant: boolean;
}

/** The ONNX output impute flags read the sd from, when the model declares it (auto, task impute). */
export function hasImputeStd(manifest: Manifest): boolean {
  return manifest.layout === 'rows' && manifest.onnx.outputs.some((o) => o.name === 'reconstruction_std');
}

export function extraColumnsFor(mode: ScoreMode, manifest: Manifest, imputeFlags = false): string[] {
  if (mode === 'impute' && imputeFlags) {
    return [...manifest.features.map((c) => `imputed_${c}`), ...(hasImputeStd(manifest) ? manifest.features.map((c) => `${c}_std`) : [])];
  }
  if (mode === 'detect') return ['anomaly_score', 'anomaly_probability', 'is_anomaly', 'top_features', 'top_errors'];
  if (mode === 'embed') return Array.from({ length: manifest.latent_dim ?? 0 }, (_, i) => `z${i}`);
  return [];
}

/** stats.missingCells as a record of the features that had missing cells (the summary's `cells_missing`). */
export function missingByFeature(features: readonly string[], missing: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  missing.forEach((n, j) => { if (n > 0) out[features[j]!] = n; });
  return out;
}

export function emptyStats(): ScoreStats {
  return {
    rowsIn: 0, rowsOut: 0, rowsRejected: 0, rowsUnscored: 0, anomalies: 0, cellsImputed: 0, missingCells: [],
    rejectedReasons: {}, modelMs: 0,
  };
}
