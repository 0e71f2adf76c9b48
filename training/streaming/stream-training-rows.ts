import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractFeatures, formatFromKey } from '../../core/io';
import { InputError } from '../../core/errors';
import { Rng } from '../../core/rng';
import { openTable } from '../../storage/open-table';
import type { ObjectLocation, ObjectStore } from '../../storage/object-store';
import { chooseFeatures, refuseLabelLike, type ColumnSelection } from '../read-training-data';
import { RowReservoir } from './row-reservoir';
import { RunningStats } from './running-stats';
import { removeShards, ShardWriter, type ShardSet } from './row-shards';

/** A table read once, streaming: what training needs of it, with its training rows in shards on disk. */
export interface StreamedRows {
  features: string[];
  /** rows whose feature cells were all numbers (training + held out) */
  rows: number;
  rejectedRows: number;
  droppedColumns: string[];
  sourceBytes?: number;
  /** core/data-hash's hash of every row in table order, computed as they pass */
  dataHash: string;
  stats: RunningStats;
  /** the training rows (those not held out) in shuffled shards */
  shards: ShardSet;
  /** a uniform sample of the held-out rows (validation and threshold calibration), at most `validationRows` */
  validation: Float32Array;
  /** rows held out (the validation sample is drawn from them) */
  heldOut: number;
  /** a uniform sample of the training rows, at most `sampleRows` (robust scaler, closed-form kinds, auto) */
  sample: Float32Array;
  /** the most rows this pass held in memory at once (buffers and samples), for the row budget */
  peakRowsHeld: number;
  /** removes the shard files */
  dispose(): void;
}

export interface StreamOptions {
  /** fraction of rows held out (default 0.2) */
  validationSplit?: number;
  seed?: number;
  /** rows per shard (default: 32 MiB of float32 values) */
  shardRows?: number;
  /** the most held-out rows kept for validation (default 200,000) */
  validationRows?: number;
  /** the most training rows kept as a sample (default 200,000) */
  sampleRows?: number;
  /** the shards' write buffers together (default 16 MiB; at least 64 rows a shard) */
  bufferBytes?: number;
  /** where the shard directory is made (default the OS temp directory) */
  tempDir?: string;
}

const SHARD_BYTES = 32 << 20;

/**
 * Reads a table once, one chunk at a time, without holding it: features chosen on the first chunk as
 * readTrainingData chooses them, per-feature statistics for the scaler and the label check, the data hash, each
 * row held out (with probability validationSplit, seeded) into a uniform validation sample or written to a shard
 * drawn at random. The shard count comes from the object's size and the first chunk's bytes per row; memory is
 * the shard buffers, the two samples and one chunk, whatever the table's size.
 */
export async function streamTrainingRows(
  store: ObjectStore, location: ObjectLocation, selection: ColumnSelection = {}, options: StreamOptions = {},
): Promise<StreamedRows> {
  const { format, gzip } = formatFromKey(location.key);
  const table = await openTable(store, location, { format, gzip });
  const rng = new Rng(options.seed ?? 42);
  const split = options.validationSplit ?? 0.2;
  const dir = mkdtempSync(join(options.tempDir ?? tmpdir(), 'residual-shards-'));
  const hash = createHash('sha256');
  let chosen: ReturnType<typeof chooseFeatures> | null = null;
  let stats: RunningStats | null = null;
  let writer: ShardWriter | null = null;
  let validation: RowReservoir | null = null;
  let sample: RowReservoir | null = null;
  let rows = 0;
  let rejectedRows = 0;
  let heldOut = 0;
  let peakRowsHeld = 0;
  try {
    for await (const chunk of table.chunks) {
      if (!chosen) {
        chosen = chooseFeatures(chunk, selection);
        const f = chosen.features.length;
        hash.update(chosen.features.join('\u0000'));
        hash.update('\u0000');
        stats = new RunningStats(f);
        const shardRows = options.shardRows ?? Math.max(1024, Math.floor(SHARD_BYTES / (4 * f)));
        const count = shardCount(table.bytes, chunk.columns.length, shardRows, gzip);
        // the shards' write buffers together stay under bufferBytes (at least 64 rows a shard), however many shards
        const bufferRows = Math.max(64, Math.min(4096, Math.floor((options.bufferBytes ?? 16 << 20) / (count * f * 4))));
        writer = new ShardWriter(dir, f, count, rng.fork(), bufferRows);
        validation = new RowReservoir(f, options.validationRows ?? 200_000, rng.fork());
        sample = new RowReservoir(f, options.sampleRows ?? 200_000, rng.fork());
      }
      const batch = extractFeatures(chunk, chosen.featureIdx);
      rejectedRows += batch.rejected.length + chunk.rejected.length;
      const x = batch.x;
      const f = chosen.features.length;
      const n = batch.keep.length;
      hash.update(new Uint8Array(x.buffer, x.byteOffset, n * f * 4));
      stats!.add(x.subarray(0, n * f));
      for (let r = 0; r < n; r++) {
        if (rng.next() < split) {
          heldOut++;
          validation!.offer(x, r * f);
        } else {
          sample!.offer(x, r * f);
          writer!.add(x, r * f);
        }
      }
      rows += n;
      peakRowsHeld = Math.max(peakRowsHeld, writer!.heldRows + validation!.capacity + sample!.capacity + chunk.rows.length);
    }
    if (!chosen) throw new InputError(`'${location.key}' holds no rows`);
    const { features } = chosen;
    if (rows === 0) throw new InputError(`'${location.key}' has no row whose feature columns (${features.join(', ')}) are all numeric`);
    if (!selection.columns?.length) {
      const why = stats!.degenerate();
      refuseLabelLike(features, (j) => why[j]!);
    }
    const shards = writer!.close();
    writer = null;
    // removed by dispose(), or when the process exits (a training run that fails)
    const dispose = () => {
      removeShards(shards);
      process.off('exit', dispose);
    };
    process.on('exit', dispose);
    return {
      features, rows, rejectedRows, droppedColumns: chosen.dropped, sourceBytes: table.bytes, dataHash: `sha256:${hash.digest('hex')}`,
      stats: stats!, shards, validation: validation!.sample(), heldOut, sample: sample!.sample(), peakRowsHeld,
      dispose,
    };
  } catch (err) {
    await table.close();
    if (writer) writer.close();
    removeShards({ dir, features: 0, files: [], rows: [] });
    throw err;
  }
}

/**
 * Shards for about shardRows rows each, from the object's size (gzip: × 4) at ~10 bytes a cell (a number and its
 * delimiter): a table of longer cells gets smaller shards, never larger ones than memory allows.
 */
function shardCount(bytes: number | undefined, columns: number, shardRows: number, gzip: boolean): number {
  const estimate = ((bytes ?? 0) * (gzip ? 4 : 1)) / (10 * Math.max(columns, 1));
  return Math.max(1, Math.min(4096, Math.ceil(estimate / shardRows)));
}
