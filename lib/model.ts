import { formatFromKey } from '../core/io';
import type { Manifest } from '../core/manifest';
import { storeForUri } from '../storage/adapters/store-for-uri';
import type { LoadedModel } from '../scoring/batch-scorer';
import { openTable } from '../storage/open-table';
import type { ScoreMode } from '../scoring/score-table';
import { resolveTimeColumn } from '../scoring/time-column';
import { checkMode } from './check-options';
import { scoreToRows, type ScoreResult } from './scored-rows';
import { tableChunks, type TableInput } from './table-input';

export interface ModelScoreOptions<M extends ScoreMode = 'detect'> {
  /** `detect` (default), `impute`, `denoise` or `embed` — the CLI's `--mode`. */
  mode?: M;
  /** How many features `topFeatures` names (default 3) — the CLI's `--top-k`. */
  topK?: number;
  /** The time column (the CLI's `--time-column`); default the model's `time_column`. Rows are checked to be in time order. */
  timeColumn?: string;
}

/**
 * A model artifact opened in an onnxruntime session: its manifest and scoring on in-memory rows or on a
 * table file (read whole into memory; for big files use `score()`, which streams file to file).
 * Call `close()` when done: it releases the session.
 */
export class Model {
  readonly manifest: Manifest;
  private readonly loaded: LoadedModel;
  private closed = false;

  constructor(loaded: LoadedModel) {
    this.loaded = loaded;
    this.manifest = loaded.manifest;
  }

  /**
   * Scores rows as `residual score` does: feature columns are found by name, rows with a non-numeric feature
   * value are rejected (listed in `rejected`), every other row comes back once, in order.
   * `input`: an in-memory table, or a path / s3:// URI of a CSV, JSON Lines or Parquet file.
   */
  async score<M extends ScoreMode = 'detect'>(input: TableInput | string, options: ModelScoreOptions<M> = {}): Promise<ScoreResult<M>> {
    if (this.closed) throw new Error('score() on a closed Model');
    const mode = (options.mode ?? 'detect') as M;
    checkMode(mode);
    const time = resolveTimeColumn(this.manifest.time_column, options.timeColumn);
    const scoring = { mode, topK: options.topK, timeColumn: time.name, timeColumnFromFlag: time.fromFlag };
    if (typeof input !== 'string') return scoreToRows(tableChunks(input), this.loaded, { ...scoring, inMemory: true });
    const { store, location } = storeForUri(input);
    const { format, gzip } = formatFromKey(input);
    const table = await openTable(store, location, { format, gzip });
    return scoreToRows(table.chunks, this.loaded, { ...scoring, inMemory: false });
  }

  /** Releases the onnxruntime session; the model cannot score afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.loaded.scorer.release();
  }
}
