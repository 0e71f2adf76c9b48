import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/rng';
import { sampleLength, type Samples } from './dataset';
import { TrainingFailedError } from './errors';
import type { Batch, ZooModel } from './models/types';
import type { ProgressReporter } from './progress';

export interface LoopOptions {
  epochs: number;
  batchSize: number;
  /** Epochs without a validation-loss improvement before stopping. */
  patience: number;
  /** Relative improvement that counts (default 1e-4). */
  minDelta?: number;
  rng: Rng;
  progress: ProgressReporter;
}

export interface EpochHistory {
  epoch: number;
  loss: number;
  valLoss: number;
}

export interface LoopResult {
  history: EpochHistory[];
  bestEpoch: number;
  bestValLoss: number;
  stoppedEarly: boolean;
}

/**
 * The training loop: shuffled mini-batches through the model's own trainStep (optimizer.minimize, no
 * model.fit), validation loss after each epoch, early stopping with the best weights restored.
 */
export function runTrainingLoop(zm: ZooModel, samples: Samples | TrainFeed, validation: Samples, options: LoopOptions): LoopResult {
  const { epochs, rng, progress } = options;
  const train = 'x' in samples ? samplesFeed(samples) : samples;
  const batchSize = Math.min(options.batchSize, train.count);
  const minDelta = options.minDelta ?? 1e-4;
  const history: EpochHistory[] = [];
  let best = Infinity;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] | null = null;
  let stale = 0;
  let stoppedEarly = false;
  const len = sampleLength(train.shape);
  const dims = train.shape.layout === 'windows' ? [train.shape.steps!, train.shape.features] : [train.shape.features];
  const bx = new Float32Array(batchSize * len);
  const bm = new Float32Array(batchSize * len);
  const by = train.targets ? new Float32Array(batchSize * len) : null;
  const bym = train.targets ? new Float32Array(batchSize * len) : null;
  progress.start(epochs);
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const fill = train.epoch(rng, batchSize);
      const steps = Math.floor(train.count / batchSize);
      let lossSum: tf.Scalar = tf.scalar(0);
      for (let s = 0; s < steps; s++) {
        fill(s, bx, bm, by, bym);
        const batch: Batch = { x: tf.tensor(bx, [batchSize, ...dims]), mask: tf.tensor(bm, [batchSize, ...dims]) };
        if (by && bym) {
          batch.target = tf.tensor(by, [batchSize, ...dims]);
          batch.targetMask = tf.tensor(bym, [batchSize, ...dims]);
        }
        const loss = zm.trainStep(batch);
        const next = tf.add(lossSum, loss) as tf.Scalar;
        lossSum.dispose();
        loss.dispose();
        tf.dispose([batch.x, batch.mask, ...(batch.target ? [batch.target] : []), ...(batch.targetMask ? [batch.targetMask] : [])]);
        lossSum = next;
        progress.batch?.({ epoch, epochs, batch: s + 1, batches: steps });
      }
      const trainLoss = (lossSum.dataSync()[0] ?? NaN) / Math.max(steps, 1);
      lossSum.dispose();
      const valLoss = validationLoss(zm, validation);
      history.push({ epoch, loss: trainLoss, valLoss });
      if (!Number.isFinite(trainLoss) || !Number.isFinite(valLoss)) {
        throw new TrainingFailedError(
          `training diverged at epoch ${epoch}: loss ${trainLoss}, validation loss ${valLoss} (try a smaller learning rate)`,
        );
      }
      progress.epoch({ epoch, epochs, loss: trainLoss, valLoss });
      if (!Number.isFinite(best) || valLoss < best - minDelta * Math.abs(best)) {
        best = valLoss;
        bestEpoch = epoch;
        stale = 0;
        bestWeights?.forEach((t) => t.dispose());
        bestWeights = zm.model.getWeights().map((w) => w.clone());
      } else if (++stale >= options.patience) {
        stoppedEarly = epoch < epochs;
        break;
      }
    }
    if (bestWeights && bestEpoch !== history.length) zm.model.setWeights(bestWeights);
  } finally {
    bestWeights?.forEach((t) => t.dispose());
    progress.stop(
      history.length
        ? `best validation loss ${best.toPrecision(4)} at epoch ${bestEpoch}${stoppedEarly ? ' (stopped early)' : ''}`
        : undefined,
    );
  }
  return { history, bestEpoch, bestValLoss: best, stoppedEarly };
}

/**
 * Training samples for the loop, one epoch at a time: `epoch` draws the epoch's order from `rng` and returns what
 * fills batch `s` (batchSize samples, in that order) into the batch buffers.
 */
export interface TrainFeed {
  shape: Samples['shape'];
  count: number;
  /** the samples carry targets (y, yMask) */
  targets: boolean;
  epoch(rng: Rng, batchSize: number): FillBatch;
}

/** Fills batch `s` of the epoch into the batch buffers (targets where the samples carry them). */
export type FillBatch = (s: number, x: Float32Array, mask: Float32Array, y: Float32Array | null, yMask: Float32Array | null) => void;

/** Samples in memory: a permutation of all of them per epoch. */
export function samplesFeed(train: Samples): TrainFeed {
  const len = sampleLength(train.shape);
  return {
    shape: train.shape,
    count: train.count,
    targets: !!(train.y && train.yMask),
    epoch(rng, batchSize) {
      const order = rng.permutation(train.count);
      return (s, bx, bm, by, bym) => {
        for (let i = 0; i < batchSize; i++) {
          const at = order[s * batchSize + i] * len;
          bx.set(train.x.subarray(at, at + len), i * len);
          bm.set(train.mask.subarray(at, at + len), i * len);
          by?.set(train.y!.subarray(at, at + len), i * len);
          bym?.set(train.yMask!.subarray(at, at + len), i * len);
        }
      };
    },
  };
}

/** Mean evalLoss over validation batches, weighted by batch size. */
export function validationLoss(zm: ZooModel, s: Samples, batchSize = 1024): number {
  const len = sampleLength(s.shape);
  const dims = s.shape.layout === 'windows' ? [s.shape.steps!, s.shape.features] : [s.shape.features];
  let total = 0;
  for (let start = 0; start < s.count; start += batchSize) {
    const n = Math.min(batchSize, s.count - start);
    const v = tf.tidy(() => {
      const slice = (a: Float32Array): tf.Tensor => tf.tensor(a.subarray(start * len, (start + n) * len), [n, ...dims]);
      const batch: Batch = { x: slice(s.x), mask: slice(s.mask) };
      if (s.y && s.yMask) {
        batch.target = slice(s.y);
        batch.targetMask = slice(s.yMask);
      }
      return zm.evalLoss(batch);
    });
    total += v.dataSync()[0] * n;
    v.dispose();
  }
  return total / s.count;
}
