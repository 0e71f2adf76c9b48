import { PassThrough } from 'node:stream';
import { CONTENT_TYPES, type RowRejection, type TableChunk, type TableFormat } from '../../core/io';
import type { ObjectLocation, ObjectStore } from './ports';
import { createOutputEncoder, type OutputEncoder } from './output-encoder';
import { emptyStats, scoreTable, type ScoreMode, type ScoreStats } from './score-table';
import type { LoadedModel } from './model-repository';

export interface ScoredOutputRequest {
  chunks: AsyncIterable<TableChunk>;
  model: LoadedModel;
  mode: ScoreMode;
  inputFormat: TableFormat;
  outputFormat: TableFormat;
  store: ObjectStore;
  output: ObjectLocation;
  topK?: number;
  /** what the summary says the input was */
  input: { uri: string; bytes?: number; versionId?: string };
  now?: () => number;
}

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
  rejected_reasons: Record<string, number>;
  anomalies: number;
  cells_imputed: number;
  bytes_in: number | null;
  timings: { total_ms: number; model_ms: number };
}

const uri = (loc: ObjectLocation) => (loc.bucket ? `s3://${loc.bucket}/${loc.key}` : loc.key);

/**
 * Streams scored rows into `output`, rejected rows into `<output>.errors.jsonl` (created only when a row
 * is rejected) and writes `<output>.summary.json` last. If anything fails, no output object is left behind.
 */
export async function writeScoredOutput(req: ScoredOutputRequest): Promise<ScoreSummary> {
  const now = req.now ?? (() => performance.now());
  const started = now();
  const stats = emptyStats();
  const errorsLoc: ObjectLocation = { bucket: req.output.bucket, key: `${req.output.key}.errors.jsonl` };
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  const outputDone = req.store.put(req.output, out, { contentType: CONTENT_TYPES[req.outputFormat] });
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
      errorsDone = req.store.put(errorsLoc, errorsStream, { contentType: 'application/x-ndjson' });
      errorsDone.catch(() => undefined);
    }
    const text = rejections;
    rejections = '';
    await write(errorsStream, text);
  };
  outputDone.catch(() => undefined);
  try {
    let encoder: OutputEncoder | null = null;
    for await (const batch of scoreTable(req.chunks, req.model, { mode: req.mode, topK: req.topK, onRejected }, stats)) {
      encoder ??= createOutputEncoder(req.outputFormat, req.inputFormat, batch.delimiter);
      await write(out, encoder.batch(batch));
      await flushRejections();
    }
    await flushRejections();
    if (encoder) await write(out, encoder.end());
    out.end();
    (errorsStream as PassThrough | null)?.end();
    await Promise.all([outputDone, errorsDone]);
  } catch (err) {
    out.destroy(err as Error);
    (errorsStream as PassThrough | null)?.destroy(err as Error);
    await Promise.allSettled([outputDone, errorsDone]);
    throw err;
  }
  const summary = buildSummary(req, stats, errorsDone !== null ? uri(errorsLoc) : null, now() - started);
  await req.store.put({ bucket: req.output.bucket, key: `${req.output.key}.summary.json` }, JSON.stringify(summary, null, 2) + '\n', { contentType: 'application/json' });
  return summary;
}

function buildSummary(req: ScoredOutputRequest, stats: ScoreStats, errors: string | null, totalMs: number): ScoreSummary {
  const m = req.model.manifest;
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
    rejected_reasons: stats.rejectedReasons,
    anomalies: stats.anomalies,
    cells_imputed: stats.cellsImputed,
    bytes_in: req.input.bytes ?? null,
    timings: { total_ms: Math.round(totalMs), model_ms: Math.round(stats.modelMs) },
  };
}

async function write(stream: PassThrough, chunk: string | Uint8Array): Promise<void> {
  if (chunk.length === 0) return;
  if (stream.destroyed) throw new Error('output stream closed early');
  if (!stream.write(chunk)) await new Promise<void>((resolve, reject) => {
    const onDrain = () => { stream.off('error', onError); resolve(); };
    const onError = (e: Error) => { stream.off('drain', onDrain); reject(e); };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}
