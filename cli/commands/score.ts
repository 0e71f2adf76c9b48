import { formatFromKey, readTable, type TableFormat } from '../../core/io';
import { UsageError } from '../../core/usage-error';
import { createOnnxScorer } from '../../scoring/adapters/onnx-scorer';
import { storeForUri, type StoreAndLocation } from '../../storage/adapters/store-for-uri';
import { loadModelArtifact } from '../../storage/artifact/load-model-artifact';
import { openTable, type OpenedTable } from '../../storage/open-table';
import { parseRejectionLimit, type RejectionLimit } from '../../scoring/rejection-limit';
import type { ScoreMode } from '../../scoring/score-table';
import { writeScoredOutput, type ScoreSummary } from '../../scoring/write-scored-output';
import { byteProgress } from '../byte-progress';
import { checkOutput } from '../check-output';
import { commandOutput } from '../command-output';
import type { ParsedCommandLine } from '../flags/parse-command-line';
import { isStdio, openStdin, StdioStore } from '../stdio-store';

export interface ScoreCommandOptions {
  model: string;
  /** a file, an s3:// URI, or `-` for stdin */
  input: string;
  /** a file, an s3:// URI, or `-` for stdout */
  output: string;
  mode?: ScoreMode;
  format?: TableFormat;
  threads?: number;
  topK?: number;
  /** default 50 % of the rows read */
  maxRejected?: RejectionLimit;
  progress?: boolean;
  /** the store behind `-` (default: this process's stdin, stdout and stderr) */
  stdio?: StdioStore;
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
    threads: cl.int('threads'),
    topK: cl.int('top-k'),
    maxRejected: parseRejectionLimit(cl.required('max-rejected')),
    progress: !out.quiet,
    stdio,
    imputeFlags: cl.bool('impute-flags'),
  });
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
      `output: ${summary.output}\nsummary: ${summary.output}.summary.json${summary.errors ? `\nerrors: ${summary.errors}` : ''}\n`,
  );
  if (out.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  return 0;
}

export async function scoreFile(options: ScoreCommandOptions): Promise<ScoreSummary> {
  const stdio = options.stdio ?? new StdioStore();
  const toStdout = isStdio(options.output);
  if (!toStdout) await checkOutput(options.input, options.output);
  const modelAt = storeForUri(options.model);
  const output: StoreAndLocation = toStdout ? { store: stdio, location: { bucket: '', key: '-' }, uri: '-' } : storeForUri(options.output);
  const model = await loadModelArtifact(modelAt.store, modelAt.location, (onnx, manifest) =>
    createOnnxScorer(onnx, manifest, { threads: options.threads }));
  try {
    const { table, inputFormat } = await openInput(options);
    const outputKind = toStdout ? { format: inputFormat, gzip: false } : formatFromKey(options.output);
    return await writeScoredOutput({
      chunks: table.chunks,
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
      ...(options.imputeFlags ? { imputeFlags: true } : {}),
    });
  } finally {
    await model.scorer.release();
  }
}

interface OpenedInput {
  table: Pick<OpenedTable, 'chunks' | 'bytes'>;
  inputFormat: TableFormat;
}

async function openInput(options: ScoreCommandOptions): Promise<OpenedInput> {
  if (isStdio(options.input)) {
    const stdin = await openStdin();
    return { table: { chunks: readTable(stdin.body, { format: stdin.format, gzip: stdin.gzip }) }, inputFormat: stdin.format };
  }
  const input = storeForUri(options.input);
  const { format, gzip } = formatFromKey(options.input);
  const table = await openTable(input.store, input.location, {
    format,
    gzip,
    wrap: options.progress ? (body, size) => byteProgress(body, size, 'scoring') : undefined,
  });
  return { table, inputFormat: format };
}
