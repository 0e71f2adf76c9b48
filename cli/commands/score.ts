import { formatFromKey, readTable, type TableFormat } from '../../core/io';
import { UsageError } from '../../core/usage-error';
import { createOnnxScorer } from '../../scoring/adapters/onnx-scorer';
import { storeForUri, type StoreAndLocation } from '../../storage/adapters/store-for-uri';
import { loadModelArtifact } from '../../storage/artifact/load-model-artifact';
import { openTable, type OpenedTable } from '../../storage/open-table';
import { parseRejectionLimit, type RejectionLimit } from '../../scoring/rejection-limit';
import type { ScoreMode } from '../../scoring/score-table';
import { writeScoredOutput, type ScoredOutputResult, type ScoreSummary } from '../../scoring/write-scored-output';
import type { ParallelInput } from '../../scoring/parallel/score-in-workers';
import { PARALLEL_MIN_BYTES } from '../../scoring/parallel/parallel-min-bytes';
import { resolveTimeColumn } from '../../scoring/time-column';
import { readStateFile, writeStateFile } from '../state-file';
import { byteProgress } from '../byte-progress';
import { checkOutput } from '../check-output';
import { commandOutput } from '../command-output';
import type { ParsedCommandLine } from '../flags/parse-command-line';
import { isStdio, openStdin, StdioStore } from '../stdio-store';
import { parseScoreThreads, workerFloorFor } from '../score-threads';

/** re-exported: the one threshold the CLI and the Lambda share (scoring/parallel/parallel-min-bytes.ts) */
export { PARALLEL_MIN_BYTES };

export interface ScoreCommandOptions {
  model: string;
  /** a file, an s3:// URI, or `-` for stdin */
  input: string;
  /** a file, an s3:// URI, or `-` for stdout */
  output: string;
  mode?: ScoreMode;
  format?: TableFormat;
  /**
   * Cores to score on (default 1; the CLI's `--threads auto` passes os.availableParallelism()). Where the worker
   * pipeline applies (a CSV file or s3:// input of at least `minParallelBytes`, a row model, CSV or JSON Lines out)
   * that many worker threads each parse, score (an onnxruntime session of one thread) and encode pieces of the
   * input; elsewhere it is onnxruntime's intra-op thread count for the one scoring thread.
   */
  threads?: number;
  /** the worker pipeline's knobs: the smallest input it takes (default PARALLEL_MIN_BYTES), piece size, a piece hook */
  workers?: { minBytes?: number } & Pick<ParallelInput, 'pieceBytes' | 'batchBytes' | 'onPiece'>;
  topK?: number;
  /** default 50 % of the rows read */
  maxRejected?: RejectionLimit;
  progress?: boolean;
  /** the store behind `-` (default: this process's stdin, stdout and stderr) */
  stdio?: StdioStore;
  /** --time-column (default the manifest's time_column) */
  timeColumn?: string;
  /** --state: a series state file, resumed from when it exists and written after a successful run */
  state?: string;
  /** `--impute-flags` */
  imputeFlags?: boolean;
}

/** `residual score`: the same streaming path as the Lambda, on local files, s3:// URIs or stdin/stdout. */
export async function runScore(cl: ParsedCommandLine): Promise<number> {
  const out = commandOutput(cl);
  const output = cl.required('output');
  if (out.json && isStdio(output)) throw new UsageError('--json needs stdout, which --output - already uses (the summary goes to stderr)');
  const stdio = new StdioStore();
  const summary = await scoreFile({
    model: cl.required('model'),
    input: cl.required('input'),
    output,
    mode: cl.string('mode') as ScoreMode,
    format: cl.string('format') as TableFormat | undefined,
    threads: parseScoreThreads(cl.string('threads')),
    workers: workerFloorFor(cl.string('threads')),
    topK: cl.int('top-k'),
    maxRejected: parseRejectionLimit(cl.required('max-rejected')),
    progress: !out.quiet,
    stdio,
    timeColumn: cl.string('time-column'),
    state: cl.string('state'),
    imputeFlags: cl.bool('impute-flags'),
  }).then(withoutState);
  if (isStdio(output)) {
    out.note(`${JSON.stringify(summary)}\n`);
    return 0;
  }
  const seconds = summary.timings.total_ms / 1000;
  const mb = (summary.bytes_in ?? 0) / 1e6;
  out.note(
    `scored ${summary.rows_out} of ${summary.rows_in} rows (${summary.rows_rejected} rejected, ` +
      `${summary.mode === 'impute' ? `${summary.cells_imputed} cells imputed` : `${summary.anomalies} anomalies`}) ` +
      `in ${seconds.toFixed(2)} s${mb ? ` — ${(mb / seconds).toFixed(1)} MB/s` : ''}\n` +
      `output: ${summary.output}\nsummary: ${summary.output}.summary.json${summary.errors ? `\nerrors: ${summary.errors}` : ''}\n` +
      driftNote(summary.drift),
  );
  if (out.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  return 0;
}

/** One line of drift figures (detect mode), and the MODEL_DRIFT warning on its own line when it is raised. */
export function driftNote(drift: ScoreSummary['drift']): string {
  if (!drift || drift.rows_scored === 0) return '';
  const pct = (x: number) => `${(100 * x).toFixed(100 * x < 0.995 ? 2 : 1)} %`;
  const share = drift.flagged_share;
  const flagged = share === null ? '' : `${pct(share)} flagged (${pct(drift.expected_flagged_share)} expected), `;
  const line = `drift: ${flagged}score PSI ${drift.score_psi!.toFixed(3)} over ${drift.rows_scored} scored rows\n`;
  return line + (drift.warning ? `warning ${drift.warning.code}: ${drift.warning.message}\n` : '');
}

/** The summary as written to <output>.summary.json (the state goes to --state, not into the summary). */
function withoutState(result: ScoredOutputResult): ScoreSummary {
  const { state: _state, ...summary } = result;
  return summary;
}

export async function scoreFile(options: ScoreCommandOptions): Promise<ScoredOutputResult> {
  const stdio = options.stdio ?? new StdioStore();
  const toStdout = isStdio(options.output);
  if (!toStdout) await checkOutput(options.input, options.output);
  const modelAt = storeForUri(options.model);
  const output: StoreAndLocation = toStdout ? { store: stdio, location: { bucket: '', key: '-' }, uri: '-' } : storeForUri(options.output);
  const threads = options.threads ?? 1;
  // worker threads can apply: CSV in (not stdin), CSV or JSON Lines out, more than one thread
  const inKind = isStdio(options.input) ? null : formatFromKey(options.input);
  const outFormat = options.format ?? (toStdout ? inKind?.format : formatFromKey(options.output).format);
  const workersMayScore = threads > 1 && inKind?.format === 'csv' && (outFormat === 'csv' || outFormat === 'jsonl');
  // each worker has a session of its own; this thread's serves the header checks and a piece a worker failed on
  const model = await loadModelArtifact(modelAt.store, modelAt.location, (onnx, manifest) =>
    createOnnxScorer(onnx, manifest, { threads: workersMayScore && manifest.layout === 'rows' ? 1 : threads }));
  try {
    const time = resolveTimeColumn(model.manifest.time_column, options.timeColumn);
    const state = options.state !== undefined ? await readStateFile(options.state, model.manifest) : null;
    let raw: AsyncIterable<Uint8Array> | undefined;
    const { table, inputFormat } = await openInput(options, (body) => (raw = body));
    const outputKind = toStdout ? { format: inputFormat, gzip: false } : formatFromKey(options.output);
    const { minBytes = PARALLEL_MIN_BYTES, ...knobs } = options.workers ?? {};
    const parallel = workersMayScore && (table.bytes ?? 0) >= minBytes && raw && model.manifest.layout === 'rows'
      ? { ...knobs, bytes: raw, gzip: inKind!.gzip, threads }
      : undefined;
    const result = await writeScoredOutput({
      chunks: table.chunks,
      parallel,
      model,
      mode: options.mode ?? 'detect',
      inputFormat,
      outputFormat: options.format ?? outputKind.format,
      store: output.store,
      output: output.location,
      topK: options.topK,
      gzip: outputKind.gzip,
      maxRejected: options.maxRejected,
      input: { uri: options.input, bytes: table.bytes },
      timeColumn: time.name,
      timeColumnFromFlag: time.fromFlag,
      state,
      ...(options.imputeFlags ? { imputeFlags: true } : {}),
    });
    // only a run that succeeded moves the state on
    if (options.state !== undefined) await writeStateFile(options.state, result.state);
    return result;
  } finally {
    await model.scorer.release();
  }
}

interface OpenedInput {
  table: Pick<OpenedTable, 'chunks' | 'bytes'>;
  inputFormat: TableFormat;
}

/** Opens the input; `capture` sees the raw byte stream of a CSV or JSON Lines file (after the progress display). */
async function openInput(
  options: ScoreCommandOptions, capture: (body: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>,
): Promise<OpenedInput> {
  if (isStdio(options.input)) {
    const stdin = await openStdin();
    return { table: { chunks: readTable(stdin.body, { format: stdin.format, gzip: stdin.gzip }) }, inputFormat: stdin.format };
  }
  const input = storeForUri(options.input);
  const { format, gzip } = formatFromKey(options.input);
  const table = await openTable(input.store, input.location, {
    format,
    gzip,
    wrap: (body, size) => capture(options.progress ? byteProgress(body, size, 'scoring') : body),
  });
  return { table, inputFormat: format };
}
