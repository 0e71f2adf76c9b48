import { InputError } from './errors';

/** Sliding windows over row-major data: `values` is [count × size × features], `ends[i]` the last row of window i. */
export interface Windows {
  values: Float32Array;
  count: number;
  size: number;
  features: number;
  ends: Int32Array;
}

/** The number of full windows of `size` rows, advancing `stride` rows, over `rows` rows. */
export function windowCount(rows: number, size: number, stride: number): number {
  checkWindow(size, stride);
  return rows < size ? 0 : Math.floor((rows - size) / stride) + 1;
}

/**
 * Cuts row-major values [rows × features] into windows of `size` rows every `stride` rows. The first
 * window starts at row 0; a tail shorter than a full window is dropped.
 */
export function makeWindows(values: Float32Array, features: number, size: number, stride: number): Windows {
  if (!Number.isInteger(features) || features <= 0) throw new InputError(`features must be a positive integer, got ${features}`);
  if (values.length % features !== 0) throw new InputError(`values length ${values.length} is not a multiple of features ${features}`);
  const rows = values.length / features;
  const count = windowCount(rows, size, stride);
  const out = new Float32Array(count * size * features);
  const ends = new Int32Array(count);
  const span = size * features;
  for (let w = 0; w < count; w++) {
    const start = w * stride * features;
    out.set(values.subarray(start, start + span), w * span);
    ends[w] = w * stride + size - 1;
  }
  return { values: out, count, size, features, ends };
}

/**
 * For each row, the index of the window that ends at it, or -1 (rows before the first full window,
 * or rows no window ends at when stride > 1). SPEC.md: a windowed model scores a row with the window
 * that ends at it.
 */
export function windowEndingAt(rows: number, size: number, stride: number): Int32Array {
  const out = new Int32Array(rows).fill(-1);
  const count = windowCount(rows, size, stride);
  for (let w = 0; w < count; w++) out[w * stride + size - 1] = w;
  return out;
}

function checkWindow(size: number, stride: number): void {
  if (!Number.isInteger(size) || size <= 0) throw new InputError(`window size must be a positive integer, got ${size}`);
  if (!Number.isInteger(stride) || stride <= 0) throw new InputError(`stride must be a positive integer, got ${stride}`);
}
