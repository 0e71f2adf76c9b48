import { applyScaler, type ScalerParams } from '../core/scaler';
import { makeWindows } from '../core/window';
import type { Rng } from '../core/rng';
import { TrainingConfigError } from './errors';
import type { Layout, SampleShape } from './models/types';

/** Samples in scaled space, row-major: `x` has missing cells set to 0, `mask` is 1 where observed. */
export interface Samples {
  shape: SampleShape;
  count: number;
  x: Float32Array;
  mask: Float32Array;
  /** The clean target samples (same layout as x, missing cells 0) when training on pairs. */
  y?: Float32Array;
  yMask?: Float32Array;
}

export function sampleLength(shape: SampleShape): number {
  return shape.layout === 'windows' ? shape.steps! * shape.features : shape.features;
}

/**
 * Scales raw rows [rows × F] (NaN = missing) and cuts them into samples: one per row ('rows') or one per
 * window of `window.size` rows every `window.stride` rows ('windows').
 */
export function prepareSamples(
  values: Float32Array,
  features: number,
  scaler: ScalerParams,
  layout: Layout,
  window: { size: number; stride: number } | null,
): Samples {
  const scaled = applyScaler(scaler, values);
  let x: Float32Array;
  let count: number;
  let shape: SampleShape;
  if (layout === 'windows') {
    if (!window) throw new TrainingConfigError(`layout 'windows' needs window size and stride`);
    const w = makeWindows(scaled, features, window.size, window.stride);
    x = w.values;
    count = w.count;
    shape = { layout, features, steps: window.size };
  } else {
    x = scaled;
    count = values.length / features;
    shape = { layout, features, steps: null };
  }
  const mask = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i])) mask[i] = 1;
    else x[i] = 0;
  }
  return { shape, count, x, mask };
}

/** Attaches target samples (prepared like `s`, same count and shape) as s.y / s.yMask. */
export function withTarget(s: Samples, target: Samples): Samples {
  if (target.count !== s.count || target.x.length !== s.x.length) {
    throw new TrainingConfigError(
      `target has ${target.count} sample(s) of ${target.x.length / Math.max(target.count, 1)} cells, ` +
        `input ${s.count} of ${s.x.length / Math.max(s.count, 1)}`,
    );
  }
  return { ...s, y: target.x, yMask: target.mask };
}

/** The samples at the given indices, in that order (targets included). */
export function takeSamples(s: Samples, indices: ArrayLike<number>): Samples {
  const len = sampleLength(s.shape);
  const take = (a: Float32Array): Float32Array => {
    const out = new Float32Array(indices.length * len);
    for (let i = 0; i < indices.length; i++) out.set(a.subarray(indices[i] * len, indices[i] * len + len), i * len);
    return out;
  };
  const taken: Samples = { shape: s.shape, count: indices.length, x: take(s.x), mask: take(s.mask) };
  if (s.y && s.yMask) return { ...taken, y: take(s.y), yMask: take(s.yMask) };
  return taken;
}

/**
 * Splits samples into train and validation. Rows are split at random (seeded); windows overlap their
 * neighbours, so the validation windows are the last ones in time (a random split would leak).
 */
export function splitSamples(s: Samples, validationFraction: number, rng: Rng): { train: Samples; validation: Samples } {
  if (!(validationFraction > 0 && validationFraction < 1)) {
    throw new TrainingConfigError(`validationSplit must be in (0, 1), got ${validationFraction}`);
  }
  const nVal = Math.max(1, Math.round(s.count * validationFraction));
  const nTrain = s.count - nVal;
  if (nTrain < 2)
    throw new TrainingConfigError(
      `too few samples to train: ${s.count} sample(s) leave ${nTrain} for training after a ${validationFraction} validation split`,
    );
  let order: Int32Array;
  if (s.shape.layout === 'windows') {
    order = new Int32Array(s.count);
    for (let i = 0; i < s.count; i++) order[i] = i;
  } else {
    order = rng.permutation(s.count);
  }
  const trainIdx = order.subarray(0, nTrain).slice().sort();
  const valIdx = order.subarray(nTrain).slice().sort();
  return { train: takeSamples(s, trainIdx), validation: takeSamples(s, valIdx) };
}
