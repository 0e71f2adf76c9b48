import { formatFromKey, type TableFormat } from '../../core/io';
import { InputError } from '../../core/errors';
import { createOnnxScorer } from '../../scoring/adapters/onnx-scorer';
import { storeForUri } from '../../storage/adapters/store-for-uri';
import { loadModelArtifact } from '../../storage/artifact/load-model-artifact';
import { openTable } from '../../storage/open-table';
import { parseRejectionLimit, type RejectionLimit } from '../../scoring/rejection-limit';
import { SCORE_MODES, type ScoreMode } from '../../scoring/score-table';
import { writeScoredOutput, type ScoreSummary } from '../../scoring/write-scored-output';
import { intFlag, parseFlags, stringFlag } from '../args';
import { byteProgress } from '../byte-progress';
import { checkOutput } from '../check-output';

export const SCORE_USAGE = `residual score --model <dir|s3://...> --input <file|s3://...> --output <file|s3://...>
               [--mode detect|impute|denoise|embed] [--format csv|jsonl|parquet] [--threads N] [--top-k N]
               [--max-rejected N|P%]   (default 50%: fail, writing nothing, when more rows are rejected)
  An output ending in .gz (x.csv.gz, x.jsonl.gz) is gzip-compressed.`;

export interface ScoreCommandOptions {
  model: string;
  input: string;
  output: string;
  mode?: ScoreMode;
  format?: TableFormat;
  threads?: number;
  topK?: number;
  /** default 50 % of the rows read */
  maxRejected?: RejectionLimit;
  progress?: boolean;
}

/** `residual score`: the same streaming path as the Lambda, on local files or s3:// URIs. */
export async function runScore(argv: string[]): Promise<number> {
  const values = ['model', 'input', 'output', 'mode', 'format', 'threads', 'top-k', 'max-rejected'];
  const flags = parseFlags(argv, { values, required: ['model', 'input', 'output'] }, 'score');
  const mode = stringFlag(flags, 'mode') ?? 'detect';
  if (!(SCORE_MODES as readonly string[]).includes(mode)) throw new InputError(`residual score: --mode must be one of ${SCORE_MODES.join(', ')}, got '${mode}'`);
  const format = stringFlag(flags, 'format');
  if (format !== undefined && !['csv', 'jsonl', 'parquet'].includes(format)) throw new InputError(`residual score: --format must be csv, jsonl or parquet, got '${format}'`);
  const maxRejected = stringFlag(flags, 'max-rejected');
  const summary = await scoreFile({
    model: stringFlag(flags, 'model')!,
    input: stringFlag(flags, 'input')!,
    output: stringFlag(flags, 'output')!,
    mode: mode as ScoreMode,
    format: format as TableFormat | undefined,
    threads: intFlag(flags, 'threads'),
    topK: intFlag(flags, 'top-k'),
    maxRejected: maxRejected === undefined ? undefined : parseRejectionLimit(maxRejected),
    progress: true,
  });
  const seconds = summary.timings.total_ms / 1000;
  const mb = (summary.bytes_in ?? 0) / 1e6;
  process.stderr.write(
    `scored ${summary.rows_out} of ${summary.rows_in} rows (${summary.rows_rejected} rejected, ` +
      `${summary.mode === 'impute' ? `${summary.cells_imputed} cells imputed` : `${summary.anomalies} anomalies`}) ` +
      `in ${seconds.toFixed(2)} s${mb ? ` — ${(mb / seconds).toFixed(1)} MB/s` : ''}\n` +
      `output: ${summary.output}\nsummary: ${summary.output}.summary.json${summary.errors ? `\nerrors: ${summary.errors}` : ''}\n`,
  );
  return 0;
}

export async function scoreFile(options: ScoreCommandOptions): Promise<ScoreSummary> {
  await checkOutput(options.input, options.output);
  const modelAt = storeForUri(options.model);
  const input = storeForUri(options.input);
  const output = storeForUri(options.output);
  const { format: inputFormat, gzip } = formatFromKey(options.input);
  const outputKind = formatFromKey(options.output);
  const outputFormat = options.format ?? outputKind.format;
  const model = await loadModelArtifact(modelAt.store, modelAt.location, (onnx, manifest) => createOnnxScorer(onnx, manifest, { threads: options.threads }));
  try {
    const table = await openTable(input.store, input.location, {
      format: inputFormat,
      gzip,
      wrap: options.progress ? (body, size) => byteProgress(body, size, 'scoring') : undefined,
    });
    return await writeScoredOutput({
      chunks: table.chunks,
      model,
      mode: options.mode ?? 'detect',
      inputFormat,
      outputFormat,
      store: output.store,
      output: output.location,
      topK: options.topK,
      gzip: outputKind.gzip,
      maxRejected: options.maxRejected,
      input: { uri: options.input, bytes: table.bytes },
    });
  } finally {
    await model.scorer.release();
  }
}
