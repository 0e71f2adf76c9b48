import { parseNumber, type OutputCell, type RowRejection, type TableChunk } from '../core/io';
import type { Manifest } from '../core/manifest';
import type { BatchScorer } from '../functions/services/ports';
import { emptyStats, scoreTable, type ScoredRow, type ScoreMode } from '../functions/services/score-table';

/** Where a result row came from: `line` as the readers number rows; `index` its 0-based position in an in-memory table. */
export interface RowOrigin {
  /** In-memory input: index + 1. File: the line the record starts on (CSV header = line 1), Parquet: row number. */
  line: number;
  /** In-memory input: the row's 0-based position; file input: null. */
  index: number | null;
}

/** `detect`: the CLI's `anomaly_score`, `is_anomaly`, `top_features`. */
export interface DetectRow extends RowOrigin {
  /** null where a windowed model has no complete window ending at the row yet (the CLI writes an empty cell). */
  anomalyScore: number | null;
  /** anomalyScore > the manifest threshold; false when anomalyScore is null (the CLI writes 0). */
  isAnomaly: boolean;
  /** the features with the largest error, largest first; empty when anomalyScore is null. */
  topFeatures: string[];
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

/** `embed`: the latent coordinates z0..z{k-1}. */
export interface EmbedRow extends RowOrigin {
  latent: number[];
}

export interface RowResultByMode {
  detect: DetectRow;
  impute: ImputeRow;
  denoise: DenoiseRow;
  embed: EmbedRow;
}

/** What scoring an in-memory table (or a file read into memory) gives: rowsIn = rowsOut + rowsRejected. */
export interface ScoreResult<M extends ScoreMode = ScoreMode> {
  mode: M;
  /** scored rows, in input order */
  rows: RowResultByMode[M][];
  /** rows that could not be scored (a non-numeric feature value, an unparsable record), in input order */
  rejected: (RowRejection & { index: number | null })[];
  rowsIn: number;
  rowsOut: number;
  rowsRejected: number;
  anomalies: number;
  cellsImputed: number;
  /** rejection counts by reason, without line numbers (as in the CLI's summary) */
  rejectedReasons: Record<string, number>;
}

/**
 * Runs the scoring transform the CLI and the Lambda run (functions/services/score-table.ts) and turns its
 * output cells into typed rows. `inMemory`: rows carry their 0-based index (line − 1).
 */
export async function scoreToRows<M extends ScoreMode>(
  chunks: AsyncIterable<TableChunk> | Iterable<TableChunk>,
  model: { manifest: Manifest; scorer: BatchScorer },
  options: { mode: M; topK?: number; inMemory: boolean },
): Promise<ScoreResult<M>> {
  const stats = emptyStats();
  const rejected: ScoreResult<M>['rejected'] = [];
  const index = (line: number) => (options.inMemory ? line - 1 : null);
  const onRejected = (r: RowRejection) => rejected.push({ line: r.line, reason: r.reason, index: index(r.line) });
  const rows: RowResultByMode[M][] = [];
  const features = model.manifest.features;
  for await (const batch of scoreTable(toAsync(chunks), model, { mode: options.mode, topK: options.topK, onRejected }, stats)) {
    for (const row of batch.rows) {
      const origin: RowOrigin = { line: row.source.line, index: index(row.source.line) };
      rows.push(shape(options.mode, row, origin, batch.featureColumns, features) as RowResultByMode[M]);
    }
  }
  return {
    mode: options.mode, rows, rejected, rowsIn: stats.rowsIn, rowsOut: stats.rowsOut, rowsRejected: stats.rowsRejected,
    anomalies: stats.anomalies, cellsImputed: stats.cellsImputed, rejectedReasons: stats.rejectedReasons,
  };
}

function shape(mode: ScoreMode, row: ScoredRow, origin: RowOrigin, featureColumns: number[], features: readonly string[]) {
  switch (mode) {
    case 'detect': {
      const [score, flag, top] = row.extra;
      return {
        ...origin,
        anomalyScore: typeof score === 'number' ? score : null,
        isAnomaly: flag === 1,
        topFeatures: typeof top === 'string' && top !== '' ? top.split(';') : [],
      } satisfies DetectRow;
    }
    case 'impute':
    case 'denoise': {
      const values: Record<string, number | null> = {};
      const imputed: string[] = [];
      features.forEach((name, j) => {
        const col = featureColumns[j]!;
        const replaced = row.cells !== undefined && row.cells[col] !== row.source.cells[col];
        values[name] = replaced ? finiteOrNull(row.cells![col]) : observed(row.source.cells[col]);
        if (mode === 'impute' && replaced) imputed.push(name);
      });
      return mode === 'impute' ? ({ ...origin, values, imputed } satisfies ImputeRow) : ({ ...origin, values } satisfies DenoiseRow);
    }
    case 'embed':
      return { ...origin, latent: row.extra.map(Number) } satisfies EmbedRow;
  }
}

/** A cell the scorer put in: a number, or null when it is not finite (never a silent NaN). */
function finiteOrNull(cell: OutputCell): number | null {
  return typeof cell === 'number' && Number.isFinite(cell) ? cell : null;
}

/** An input cell the scorer kept: scoring accepted the row, so it parses (or is missing). */
function observed(text: string | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const v = parseNumber(text);
  return v === undefined || Number.isNaN(v) ? null : v;
}

async function* toAsync(chunks: AsyncIterable<TableChunk> | Iterable<TableChunk>): AsyncGenerator<TableChunk> {
  yield* chunks;
}
