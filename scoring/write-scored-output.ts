import { PassThrough, pipeline, type Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { CONTENT_TYPES, type RowRejection, type TableChunk, type TableFormat } from '../core/io';
import type { ObjectLocation, ObjectStore } from '../storage/object-store';
import { createOutputEncoder, type OutputEncoder } from './output-encoder';
import { DEFAULT_REJECTION_LIMIT, exceedsRejectionLimit, TooManyRejectedError, type RejectionLimit } from './rejection-limit';
import { emptyStats, scoreTable, type ScoreMode, type ScoreStats, type SeriesEnd } from './score-table';
import { missingByFeature } from './score-shapes';
import { nextSeriesState, type SeriesState } from './series-state';
import { probabilitySpecFor, STATELESS_PROBABILITY_METHODS } from '../core/probability';
import type { TimeSummary } from '../core/time/time-order';
import type { LoadedModel } from './batch-scorer';
import type { ParallelInput } from './parallel/score-in-workers';
import { driftCollector, type DriftCollector } from './drift-collector';
import type { DriftReport } from '../core/drift';
import type { SeriesStateSummary } from '../core/series/state-decision';

export interface ScoredOutputRequest {
  chunks: AsyncIterable<TableChunk>;
  model: LoadedModel;
  mode: ScoreMode;
  inputFormat: TableFormat;
  outputFormat: TableFormat;
  store: ObjectStore;
  output: ObjectLocation;
  topK?: number;
  /** gzip the scored output (the errors report and the summary stay plain). Default false. */
  gzip?: boolean;
  /** fail (TooManyRejectedError, no output left) past this many rejected rows. Default 50 % of the rows read. */
  maxRejected?: RejectionLimit;
  /** what the summary says the input was */
  input: { uri: string; bytes?: number; versionId?: string };
  /** the input's raw bytes too: a CSV input is then scored in worker threads (scoring/parallel), `chunks` left unread */
  parallel?: ParallelInput;
  now?: () => number;
  /** the time column (default none; the CLI passes --time-column or the manifest's time_column) */
  timeColumn?: string | null;
  /** the time column came from --time-column: a table without it is a usage error */
  timeColumnFromFlag?: boolean;
  /** resume the series from this state (detect and embed; see scoring/series-state.ts) */
  state?: SeriesState | null;
  /** the scoring function's per-series state decision, copied to the summary's `series_state` (default null) */
  seriesState?: SeriesStateSummary | null;
  /** mode 'impute': add the `imputed_<col>` (and `<col>_std`) columns (score-table.ts); scored in this thread */
  imputeFlags?: boolean;
}

/** What writeScoredOutput returns: the summary it wrote, and the series state to resume from. */
export interface ScoredOutputResult extends ScoreSummary {
  state: SeriesState;
}

const NO_CONTEXT = { x: new Float32Array(0), mask: new Float32Array(0), rows: 0 };

export interface ScoreSummary {
  input: string;
  input_version: string | null;
  output: string;
  errors: string | null;
  mode: ScoreMode;
  model: { name: string; version: string; kind: string };
  threshold: { value: number; method: string };
  rows_in: number;
  rows_out: number;
  rows_rejected: number;
  /** rows written with empty model columns (included in rows_out) */
  rows_unscored: number;
  rejected_reasons: Record<string, number>;
  anomalies: number;
  cells_imputed: number;
  /** per feature with missing cells: how many of the accepted rows had none (docs/contract.md "Summary") */
  cells_missing: Record<string, number>;
  bytes_in: number | null;
  timings: { total_ms: number; model_ms: number };
  /** detect mode: the scores against the training calibration, MODEL_DRIFT warning (docs/contract.md "Drift"); else null */
  drift: DriftReport | null;
  /** detect mode: the probability method and threshold `is_anomaly` uses (null in other modes) */
  probability: { method: string; threshold: number } | null;
  /** the time column's steps and gaps (null without a time column) */
  time: TimeSummary | null;
  /** outcomes worth a look that are not failures: a series shorter than the window, a constant series (no data values) */
  warnings: string[];
  /** the scoring function, for an object of a series: which state it was scored from (docs/contract.md); else null */
  series_state: SeriesStateSummary | null;
}

const uri = (loc: ObjectLocation) => (loc.bucket ? `s3://${loc.bucket}/${loc.key}` : loc.key);

/** Companion objects beside an output: they never end in a scored extension, so no input's output can be one. */
export const ERRORS_SUFFIX = '.errors.ndjson';
export const SUMMARY_SUFFIX = '.summary.json';

/**
 * Streams scored rows into `output`, rejected rows into `<output>.errors.ndjson` (only when a row is
 * rejected; a report left by an earlier run is deleted otherwise) and writes `<output>.summary.json` last.
 * If anything fails (a stage, the store, the rejection limit) nothing of this run is left: an earlier run's files
 * stay as they were unless this run already replaced one of them, in which case the output and its companions go.
 */
export async function writeScoredOutput(req: ScoredOutputRequest): Promise<ScoredOutputResult> {
  const now = req.now ?? (() => performance.now());
  const started = now();
  const stats = emptyStats();
  const errorsLoc: ObjectLocation = { bucket: req.output.bucket, key: `${req.output.key}${ERRORS_SUFFIX}` };
  const summaryLoc: ObjectLocation = { bucket: req.output.bucket, key: `${req.output.key}${SUMMARY_SUFFIX}` };
  const limit = req.maxRejected ?? DEFAULT_REJECTION_LIMIT;
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  // a stream destroyed with an error emits 'error'; the error itself is rethrown below, so a failing stage can
  // never surface as an unhandled 'error' event (the store may not have attached its listeners yet)
  out.on('error', () => undefined);
  // pipeline() destroys both streams when either fails, so a store that gives up on the gzip stream also
  // stops the writes into `out` (they would otherwise wait for a 'drain' that never comes)
  const body: Readable = req.gzip ? pipeline(out, createGzip(), () => undefined) : out;
  const contentType = req.gzip ? 'application/gzip' : CONTENT_TYPES[req.outputFormat];
  const outputDone = req.store.put(req.output, body, { contentType });
  let errorsStream: PassThrough | null = null;
  let errorsDone: Promise<void> | null = null;
  // rejections are collected per batch and written with backpressure, like the rows
  let rejections = '';
  const onRejected = (rej: RowRejection) => {
    rejections += JSON.stringify({ line: rej.line, reason: rej.reason }) + '\n';
  };
  const flushRejections = async () => {
    if (rejections === '') return;
    if (!errorsStream) {
      errorsStream = new PassThrough({ highWaterMark: 1 << 20 });
      errorsStream.on('error', () => undefined);
      errorsDone = req.store.put(errorsLoc, errorsStream, { contentType: 'application/x-ndjson' });
      errorsDone.catch(() => undefined);
    }
    const text = rejections;
    rejections = '';
    await write(errorsStream, text);
  };
  // set once any of this run's writes is complete: from then on an earlier run's files may be mixed with this one's
  let wrote = false;
  const track = (done: Promise<void>) => done.then(() => { wrote = true; }, () => undefined);
  track(outputDone);
  let summary: ScoreSummary;
  const drift = driftCollector(req.model.manifest, req.mode);
  let end: SeriesEnd | null = null;
  try {
    let encoder: OutputEncoder | null = null;
    const inWorkers = req.parallel ? startWorkers(req, req.parallel, stats) : null;
    if (inWorkers) {
      for await (const piece of inWorkers.pieces) {
        await write(out, piece.bytes);
        rejections += piece.rejections;
        if (piece.drift) drift?.add(piece.drift);
        await flushRejections();
        if (errorsDone) track(errorsDone);
      }
      encoder = { batch: () => '', end: inWorkers.end };
    }
    const options = {
      mode: req.mode, topK: req.topK, onRejected, timeColumn: req.timeColumn, timeColumnFromFlag: req.timeColumnFromFlag, state: req.state,
      imputeFlags: req.imputeFlags, onEnd: (e: SeriesEnd) => { end = e; },
    };
    for await (const batch of inWorkers ? [] : scoreTable(req.chunks, req.model, options, stats)) {
      encoder ??= createOutputEncoder(req.outputFormat, req.inputFormat, batch.delimiter);
      drift?.push(batch);
      await write(out, encoder.batch(batch));
      await flushRejections();
      if (errorsDone) track(errorsDone);
    }
    await flushRejections();
    if (errorsDone) track(errorsDone);
    // checked before the output is completed, so a multipart upload is aborted rather than committed
    if (exceedsRejectionLimit(limit, stats.rowsIn, stats.rowsRejected)) {
      throw new TooManyRejectedError(stats.rowsIn, stats.rowsRejected, limit, stats.rejectedReasons);
    }
    if (encoder) await write(out, encoder.end());
    out.end();
    (errorsStream as PassThrough | null)?.end();
    await Promise.all([outputDone, errorsDone]);
    // a clean run leaves no report from an earlier run or object version behind
    if (errorsDone === null) await req.store.delete(errorsLoc);
    summary = buildSummary(req, stats, errorsDone !== null ? uri(errorsLoc) : null, now() - started, drift, end);
    await req.store.put(summaryLoc, JSON.stringify(summary, null, 2) + '\n', { contentType: 'application/json' });
  } catch (err) {
    out.destroy(err as Error);
    (errorsStream as PassThrough | null)?.destroy(err as Error);
    const settled = await Promise.allSettled([outputDone, errorsDone]);
    // Stores write whole objects or none: a run that failed before any of its writes completed leaves an
    // earlier run's output and companions as they were. Once one of its writes replaced an earlier file, the
    // output and both companions go, so no mix of two runs (and no output without its summary) is left.
    if (wrote) await Promise.allSettled([req.output, errorsLoc, summaryLoc].map((loc) => req.store.delete(loc)));
    throw storeCause(err, settled);
  }
  // worker threads score only rows models without a time column, state or stateful probability: the state is then just the count
  const state = (end as SeriesEnd | null)?.state ?? nextSeriesState(req.model.manifest, NO_CONTEXT, stats.rowsOut, null, null);
  return { ...summary, state };
}

/**
 * The worker pipeline, where it applies to this request (else null). Loaded only when a caller asks for it, so the
 * one-thread path (and the Lambda's cold start) never imports worker_threads code.
 */
function startWorkers(req: ScoredOutputRequest, parallel: ParallelInput, stats: ScoreStats) {
  // rows checked against earlier rows (time order) or a probability model with state need one pass in order; the
  // pieces' workers write no impute-flag columns
  const method = probabilitySpecFor(req.model.manifest).method;
  if (req.timeColumn || req.state || req.imputeFlags || !STATELESS_PROBABILITY_METHODS.includes(method)) return null;
  const workers = require('./parallel/score-in-workers') as typeof import('./parallel/score-in-workers');
  const threads = parallel.threads ?? workers.defaultThreads();
  if (!workers.canScoreInWorkers(req.model.manifest, req.inputFormat, req.outputFormat, threads)) return null;
  const options = { mode: req.mode, topK: req.topK, outputFormat: req.outputFormat };
  return workers.scoreInWorkers({ ...parallel, threads }, req.model, options, stats);
}

/** A write into a stream the store already gave up on reports the store's own error (disk full, S3 refused). */
function storeCause(err: unknown, settled: PromiseSettledResult<unknown>[]): unknown {
  if (!(err instanceof OutputClosedError)) return err;
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  return failed ? failed.reason : err;
}

class OutputClosedError extends Error {
  constructor() {
    super('output stream closed early');
    this.name = 'OutputClosedError';
  }
}

function buildSummary(
  req: ScoredOutputRequest, stats: ScoreStats, errors: string | null, totalMs: number, drift: DriftCollector | null,
  end: SeriesEnd | null,
): ScoreSummary {
  const m = req.model.manifest;
  const spec = probabilitySpecFor(m);
  return {
    input: req.input.uri,
    input_version: req.input.versionId ?? null,
    output: uri(req.output),
    errors,
    mode: req.mode,
    model: { name: m.name, version: m.version, kind: m.kind },
    threshold: { value: m.threshold.value, method: m.threshold.method },
    rows_in: stats.rowsIn,
    rows_out: stats.rowsOut,
    rows_rejected: stats.rowsRejected,
    rows_unscored: stats.rowsUnscored,
    rejected_reasons: stats.rejectedReasons,
    anomalies: stats.anomalies,
    cells_imputed: stats.cellsImputed,
    cells_missing: missingByFeature(m.features, stats.missingCells),
    bytes_in: req.input.bytes ?? null,
    timings: { total_ms: Math.round(totalMs), model_ms: Math.round(stats.modelMs) },
    drift: drift?.report() ?? null,
    probability: req.mode === 'detect' ? { method: spec.method, threshold: spec.threshold } : null,
    time: end?.time ?? null,
    warnings: [...(end ? seriesWarnings(m, end) : []), ...featureWarnings(req.mode, m.features, stats)],
    series_state: req.seriesState ?? null,
  };
}

/** Warnings about the series as a whole: counts and settings only. */
export function seriesWarnings(m: ScoredOutputRequest['model']['manifest'], end: SeriesEnd): string[] {
  const warnings: string[] = [];
  const t = m.window?.size;
  if (t !== undefined && end.rowsAccepted > 0 && end.rowsSeen < t) {
    warnings.push(`SERIES_SHORTER_THAN_WINDOW: the series has ${end.rowsSeen} row(s), fewer than the model's window of ${t}: ` +
      'no row was scored (their model columns are empty)');
  }
  if (end.rowsAccepted > 1 && end.constant) {
    warnings.push(`CONSTANT_SERIES: every feature holds one value over the ${end.rowsAccepted} rows read: ` +
      'the scores only say how far that value is from the training data');
  }
  if (end.time && end.time.gaps > 0) {
    warnings.push(`TIME_GAPS: ${end.time.gaps} step(s) longer than ${end.time.gap_factor} × the median step (see time)`);
  }
  return warnings;
}

/** A feature with no value in any accepted row: the output is not wrong, but it was not made from that feature. */
export function featureWarnings(mode: ScoreMode, features: readonly string[], stats: ScoreStats): string[] {
  const accepted = stats.rowsIn - stats.rowsRejected;
  const empty = features.filter((_, j) => accepted > 0 && stats.missingCells[j] === accepted);
  if (empty.length === 0) return [];
  const names = empty.map((c) => `'${c}'`).join(', ');
  const what = mode === 'detect' ? 'rows were scored on the other features only (as missing cells)'
    : mode === 'embed' ? 'the embeddings were made without it'
      : 'every cell of it written is the model\'s fill from the other features, not a measurement';
  return [`FEATURE_WITHOUT_VALUES: ${names} had no value in any of the ${accepted} row(s) read: ${what}`];
}

async function write(stream: PassThrough, chunk: string | Uint8Array): Promise<void> {
  if (chunk.length === 0) return;
  if (stream.destroyed) throw new OutputClosedError();
  if (!stream.write(chunk)) await new Promise<void>((resolve, reject) => {
    const onDrain = () => { stream.off('error', onError); resolve(); };
    const onError = (e: Error) => { stream.off('drain', onDrain); reject(e); };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}
