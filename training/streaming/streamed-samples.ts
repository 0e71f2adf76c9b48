import type { ScalerParams } from '../../core/scaler';
import { prepareSamples, type Samples } from '../dataset';
import { TrainingConfigError } from '../errors';
import type { TrainFeed } from '../loop';
import { readShard, type ShardSet } from './row-shards';
import type { StreamedRows } from './stream-training-rows';

/** A sharded training set as the loop takes it: each epoch visits the shards in a random order, each shard's rows in a random order. */
export interface ShardFeed extends TrainFeed {
  /** the most rows one epoch held in memory at once (one shard) */
  peakRowsHeld: number;
}

/** The training feed, validation samples and the training-rows sample (closed-form kinds) of a streamed table. */
export function streamedSamples(data: StreamedRows, scaler: ScalerParams): { train: ShardFeed; validation: Samples; sample: Samples } {
  const f = data.features.length;
  const validation = prepareSamples(data.validation, f, scaler, 'rows', null);
  const sample = prepareSamples(data.sample, f, scaler, 'rows', null);
  const count = data.shards.rows.reduce((a, b) => a + b, 0);
  if (validation.count < 1 || count < 2) {
    throw new TrainingConfigError(
      `too few samples to train: ${data.rows} row(s) leave ${count} for training and ${validation.count} for validation`,
    );
  }
  return { train: shardFeed(data.shards, scaler, count), validation, sample };
}

function shardFeed(set: ShardSet, scaler: ScalerParams, count: number): ShardFeed {
  const f = set.features;
  const feed: ShardFeed = {
    shape: { layout: 'rows', features: f, steps: null },
    count,
    targets: false,
    peakRowsHeld: 0,
    epoch(rng) {
      const order = rng.permutation(set.files.length);
      let next = 0;
      let x: Float32Array = new Float32Array(0);
      let mask: Float32Array = new Float32Array(0);
      let rows: Int32Array = new Int32Array(0);
      let pos = 0;
      const load = () => {
        // one shard at a time: its raw rows scaled in place (as prepareSamples scales them), its mask beside
        x = readShard(set, order[next++]!);
        mask = new Float32Array(x.length);
        for (let i = 0; i < x.length; i++) {
          const v = (x[i]! - scaler.offset[i % f]!) / scaler.scale[i % f]!;
          if (Number.isFinite(v)) {
            x[i] = v;
            mask[i] = 1;
          } else x[i] = 0;
        }
        rows = rng.permutation(x.length / f);
        pos = 0;
        feed.peakRowsHeld = Math.max(feed.peakRowsHeld, rows.length);
      };
      return (_s, bx, bm, _by, _bym) => {
        const n = bx.length / f;
        for (let i = 0; i < n; i++) {
          while (pos >= rows.length) load();
          const at = rows[pos++]! * f;
          bx.set(x.subarray(at, at + f), i * f);
          bm.set(mask.subarray(at, at + f), i * f);
        }
      };
    },
  };
  return feed;
}
