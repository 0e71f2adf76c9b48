import type { Rng } from '../../core/rng';
import { modelLayout, type ModelLayout, type SynthesisSpec } from '../../core/synthesis/column-spec';
import { encodeRows, profileColumns } from '../../core/synthesis/column-transform';
import { makeWindows } from '../../core/window';
import { TrainingConfigError } from '../errors';
import { CondSampler } from './cond-sampler';
import { COPY_REFERENCE_ROWS } from './gan-copy-guard';

/** What the gan trains on: model-space samples, the held-out raw samples and the shapes that tie them. */
export interface GanData {
  spec: SynthesisSpec;
  /** The generator's output layout (windows: T·F continuous spans, no conditional vector). */
  layout: ModelLayout;
  sampler: CondSampler;
  /** Training samples in model space [train × layout.dim]. */
  encoded: Float32Array;
  train: number;
  /** Held-out samples, raw units [held × width] (at most evalRows of them) and how many were held out in all. */
  holdout: Float64Array;
  held: number;
  /**
   * Training samples in raw units [≤ COPY_REFERENCE_ROWS × width], what the near-copy guard compares against:
   * rows, the first of the (random) training order; windows, evenly spaced through the training span.
   */
  reference: Float64Array;
  /** Raw values per sample: F (rows) or T·F (windows, step-major). */
  width: number;
  /** Rows per sample: 1 (rows) or T (windows). */
  steps: number;
}

/**
 * Rows: the complete rows in a seeded random order, the first `split` share held out; discrete columns
 * (integers with ≤ maxCategories values) one-hot with a conditional vector.
 * Windows of `size` rows every `stride`: windows with a missing cell are left out, the last `split` share in
 * time is held out (as every windowed model); every column is continuous (the quantile map, integers rounded),
 * a window is T·F values, step-major, and there is no conditional vector.
 */
export function prepareGanData(
  values: Float32Array,
  features: readonly string[],
  opts: { window: { size: number; stride: number } | null; split: number; maxCategories: number; evalRows: number },
  rng: Rng,
): GanData {
  const F = features.length;
  if (!opts.window) {
    const spec = profileColumns(values, features, { maxCategories: opts.maxCategories });
    const complete = rng.permutation(values.length / F).filter((r) => spec.rows_used > 0 && !hasNaN(values, r * F, F));
    const held = Math.max(1, Math.round(complete.length * opts.split));
    if (complete.length - held < 10) throw new TrainingConfigError(`too few complete rows to train a gan: ${complete.length}`);
    const holdRows = Array.from(complete.subarray(0, held));
    const trainRows = Array.from(complete.subarray(held));
    const holdout = gather(values, F, holdRows.slice(0, opts.evalRows));
    return {
      spec, layout: modelLayout(spec), sampler: new CondSampler(spec, values, trainRows), encoded: encodeRows(spec, values, trainRows),
      train: trainRows.length, holdout, held, width: F, steps: 1, reference: gather(values, F, trainRows.slice(0, COPY_REFERENCE_ROWS)),
    };
  }
  const T = opts.window.size;
  const spec = profileColumns(values, features, { maxCategories: 0 });
  const w = makeWindows(values, F, T, opts.window.stride);
  const width = T * F;
  const complete: number[] = [];
  for (let i = 0; i < w.count; i++) if (!hasNaN(w.values, i * width, width)) complete.push(i);
  const held = Math.max(1, Math.round(complete.length * opts.split));
  if (complete.length - held < 10) {
    throw new TrainingConfigError(`too few complete windows to train a gan: ${complete.length} of ${T} rows every ${opts.window.stride}`);
  }
  const trainWin = complete.slice(0, complete.length - held);
  const holdWin = complete.slice(complete.length - held).slice(0, opts.evalRows);
  // a window is T consecutive "rows" of F columns in model space, so the rows encoder applies step by step
  const trainSteps = trainWin.flatMap((i) => Array.from({ length: T }, (_, t) => i * T + t));
  const encoded = encodeRows(spec, w.values, trainSteps);
  const holdout = gather(w.values, width, holdWin);
  const rowLayout = modelLayout(spec);
  const spans = Array.from({ length: T }, (_, t) => rowLayout.spans.map((s) => ({ ...s, start: s.start + t * rowLayout.dim }))).flat();
  return {
    spec, layout: { spans, dim: T * rowLayout.dim, condDim: 0 }, sampler: new CondSampler(spec, values, []), encoded,
    train: trainWin.length, holdout, held, width, steps: T, reference: gather(w.values, width, evenlySpaced(trainWin, COPY_REFERENCE_ROWS)),
  };
}

function evenlySpaced(items: readonly number[], max: number): number[] {
  if (items.length <= max) return [...items];
  return Array.from({ length: max }, (_, i) => items[Math.floor((i * items.length) / max)]!);
}

function hasNaN(values: Float32Array, at: number, n: number): boolean {
  for (let j = 0; j < n; j++) if (Number.isNaN(values[at + j]!)) return true;
  return false;
}

function gather(values: Float32Array, width: number, samples: readonly number[]): Float64Array {
  const out = new Float64Array(samples.length * width);
  samples.forEach((r, i) => {
    for (let j = 0; j < width; j++) out[i * width + j] = values[r * width + j]!;
  });
  return out;
}
