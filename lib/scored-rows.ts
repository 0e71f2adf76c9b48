import { parseNumber, type OutputCell, type RowRejection, type TableChunk, type TableRow } from '../core/io';
import type { Manifest } from '../core/manifest';
import type { BatchScorer } from '../scoring/batch-scorer';
import { missingByFeature } from '../scoring/score-shapes';
import { emptyStats, scoreTable, type ScoredRow, type ScoreMode, type ScoreStats } from '../scoring/score-table';

/** Where a result row came from: `line` as the readers number rows; `index` its 0-based position in an in-memory table. */
export interface RowOrigin {
  /** In-memory input: index + 1. File: the line the record starts on (CSV header = line 1), Parquet: row number. */
  line: number;
  /** In-memory input: the row's 0-based position; file input: null. */
  index: number | null;
}

/** `detect`: the CLI's `anomaly_score`, `anomaly_probability`, `is_anomaly`, `top_features`, `top_errors`. */
export interface DetectRow extends RowOrigin {
  /** null where the row was not scored (the CLI writes an empty cell): before a windowed model's first full window. */
  anomalyScore: number | null;
  /** anomalyProbability >= the probability threshold (= anomalyScore > the score threshold); as the CLI's `is_anomaly` cell. */
  isAnomaly: boolean | null;
  /** the features with the largest error, largest first; empty when anomalyScore is null. */
  topFeatures: string[];
  /** the CLI's `anomaly_probability`: the calibrated tail probability of the score, in [0, 1]; null where the row was not scored. */
  anomalyProbability: number | null;
  /** the feature_error of each of topFeatures, same order (the CLI's `top_errors`); empty when anomalyScore is null. */
  topErrors: number[];
}

/** `impute`: every feature, observed cells as given, missing cells filled with the reconstruction. */
export interface ImputeRow extends RowOrigin {
  values: Record<string, number | null>;
  /** the features that were missing and are filled in `values`. */
  imputed: string[];
}

/** `denoise`: every feature replaced by the reconstruction. */
export interface DenoiseRow extends RowOrigin {
  values: Record<string, number | null>;
}

/** `embed`: the latent coordinates z0..z{k-1}; null where the row was not scored (the CLI's empty cells). */
export interface EmbedRow extends RowOrigin {
  latent: number[] | null;
}

export interface RowResultByMode {
  detect: DetectRow;
  impute: ImputeRow;
  denoise: DenoiseRow;
  embed: EmbedRow;
}

/** What scoring an in-memory table (or a file read into memory) gives: rowsIn = rowsOut + rowsRejected. */
export interface ScoreResult<M extends ScoreMode = ScoreMode> extends Omit<ScoreStats, 'modelMs' | 'missingCells'> {
  mode: M;
  /** per feature that had missing cells among the accepted rows: how many (the CLI summary's `cells_missing`) */
  cellsMissing: Record<string, number>;
  /** scored rows, in input order */
  rows: RowResultByMode[M][];
  /** rows that could not be scored (a non-numeric feature value, an unparsable record), in input order */
  rejected: (RowRejection & { index: number | null })[];
}

/**
 * Runs the scoring transform the CLI and the Lambda run (functions/services/score-table.ts) and turns its
 * output cells into typed rows. `inMemory`: rows carry their 0-based index (line − 1).
 */
export async function scoreToRows<M extends ScoreMode>(
  chunks: AsyncIterable<TableChunk> | Iterable<TableChunk>,
  model: { manifest: Manifest; scorer: BatchScorer },
  options: { mode: M; topK?: number; inMemory: boolean; timeColumn?: string | null; timeColumnFromFlag?: boolean },
): Promise<ScoreResult<M>> {
  const stats = emptyStats();
  const rejected: ScoreResult<M>['rejected'] = [];
  const index = (line: number) => (options.inMemory ? line - 1 : null);
  // the rows as read, by line, until they come out: which cells were missing (impute replaces them in the row)
  const read = new Map<number, TableRow>();
  const onRejected = (r: RowRejection) => {
    read.delete(r.line);
    rejected.push({ line: r.line, reason: r.reason, index: index(r.line) });
  };
  const rows: RowResultByMode[M][] = [];
  let unscored = 0;
  const features = model.manifest.features;
  const { timeColumn, timeColumnFromFlag } = options;
  const scoring = { mode: options.mode, topK: options.topK, onRejected, timeColumn, timeColumnFromFlag };
  for await (const batch of scoreTable(remember(chunks, read), model, scoring, stats)) {
    for (const row of batch.rows) {
      const line = row.source.line;
      const result = shape(options.mode, row, read.get(line)!, { line, index: index(line) }, batch.featureColumns, features);
      read.delete(line);
      if (('anomalyScore' in result && result.anomalyScore === null) || ('latent' in result && result.latent === null)) unscored++;
      rows.push(result as RowResultByMode[M]);
    }
  }
  return {
    mode: options.mode, rows, rejected, rowsIn: stats.rowsIn, rowsOut: stats.rowsOut, rowsRejected: stats.rowsRejected,
    rowsUnscored: unscored, anomalies: stats.anomalies, cellsImputed: stats.cellsImputed, rejectedReasons: stats.rejectedReasons,
    cellsMissing: missingByFeature(features, stats.missingCells),
  };
}

/**
 * One scored row as typed fields. The scored cells are read from what the CLI would write (`row.cells`
 * when the row is written whole, else the row's own cells with the replaced ones in them); `original` is
 * the row as it was read.
 */
function shape(
  mode: ScoreMode, row: ScoredRow, original: TableRow, origin: RowOrigin, featureColumns: number[], features: readonly string[],
) {
  switch (mode) {
    case 'detect': {
      const [score, probability, flag, top, errors] = row.extra;
      return {
        ...origin,
        anomalyScore: typeof score === 'number' ? score : null,
        isAnomaly: flag === 1 ? true : flag === 0 ? false : null,
        topFeatures: typeof top === 'string' && top !== '' ? top.split(';') : [],
        anomalyProbability: typeof probability === 'number' ? probability : null,
        topErrors: typeof errors === 'string' && errors !== '' ? errors.split(';').map(Number) : [],
      } satisfies DetectRow;
    }
    case 'impute':
    case 'denoise': {
      const cells = row.cells ?? row.source.cells;
      const values: Record<string, number | null> = {};
      const imputed: string[] = [];
      features.forEach((name, j) => {
        const col = featureColumns[j]!;
        values[name] = toNumber(cells[col]);
        if (mode === 'impute' && original.cells[col] === null && values[name] !== null) imputed.push(name);
      });
      return mode === 'impute' ? ({ ...origin, values, imputed } satisfies ImputeRow) : ({ ...origin, values } satisfies DenoiseRow);
    }
    case 'embed': {
      const scored = row.extra.length > 0 && row.extra.every((v) => typeof v === 'number' && Number.isFinite(v));
      return { ...origin, latent: scored ? (row.extra as number[]) : null } satisfies EmbedRow;
    }
  }
}

/** An output cell as a number: null when missing or not a finite number (never a silent NaN or 0). */
function toNumber(cell: OutputCell): number | null {
  if (cell === null || cell === undefined) return null;
  const v = typeof cell === 'number' ? cell : parseNumber(cell);
  return v === undefined || !Number.isFinite(v) ? null : v;
}

/** Passes the chunks on, keeping each row by line in `read`. */
async function* remember(
  chunks: AsyncIterable<TableChunk> | Iterable<TableChunk>, read: Map<number, TableRow>,
): AsyncGenerator<TableChunk> {
  for await (const chunk of chunks) {
    for (const row of chunk.rows) read.set(row.line, row);
    yield chunk;
  }
}
