import type { TableFormat } from '../core/io';
import { scoreFile } from '../cli/commands/score';
import type { ScoreMode } from '../scoring/score-table';
import type { ScoreSummary } from '../scoring/write-scored-output';
import { checkFormat, checkMode } from './check-options';

export interface ScoreFileOptions {
  /** Model artifact: a folder or s3:// prefix (`--model`). */
  model: string;
  /** Input table: a CSV (.csv, .csv.gz), JSON Lines or Parquet path or s3:// URI (`--input`). */
  input: string;
  /** Output path or s3:// URI (`--output`); `<output>.summary.json` (and `.errors.ndjson`) are written beside it. */
  output: string;
  /** Default `detect`. */
  mode?: ScoreMode;
  /** Output format; default from the output's extension. */
  format?: TableFormat;
  /**
   * Cores to score on (default 1): worker threads for a CSV of 32 MiB or more on a row model (output byte for byte
   * that of one thread), else onnxruntime's intra-op threads — as `residual score --threads N`.
   */
  threads?: number;
  /** Features named in `top_features` (default 3). */
  topK?: number;
  /** The time column (`--time-column`); default the model's `time_column`. */
  timeColumn?: string;
  /** A series state file (`--state`): resumed from when it exists, written after a successful run. */
  state?: string;
}

/**
 * `residual score` as a function: streams `input` through the model into `output`, with the CLI's columns,
 * companions and summary (rows_in = rows_out + rows_rejected). Returns the summary it wrote.
 */
export async function score(options: ScoreFileOptions): Promise<ScoreSummary> {
  const { model, input, output, mode = 'detect', format, threads, topK, timeColumn, state } = options;
  checkMode(mode);
  checkFormat(format);
  const result = await scoreFile({ model, input, output, mode, format, threads, topK, progress: false, timeColumn, state });
  const { state: _state, ...summary } = result;
  return summary;
}
