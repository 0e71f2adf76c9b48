import { applyScaler, type ScalerParams } from './scaler';

/** Rows in scaled units with 0 in every missing (non-finite) cell, and the mask (1 = observed, 0 = missing). */
export function scaledWithMask(params: ScalerParams, values: Float32Array): { x: Float32Array; mask: Float32Array } {
  const x = applyScaler(params, values);
  const mask = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i])) mask[i] = 1;
    else x[i] = 0;
  }
  return { x, mask };
}

/** The rows `idx` of the row-major `a` (`f` values a row), in that order. */
export function gatherRows(a: Float32Array, idx: ArrayLike<number>, f: number): Float32Array {
  const out = new Float32Array(idx.length * f);
  for (let i = 0; i < idx.length; i++) out.set(a.subarray(idx[i]! * f, idx[i]! * f + f), i * f);
  return out;
}
