import type { ImputerParts } from '../auto-impute/column-plan';
import { scaled } from '../auto-impute/fit-imputer';
import { combine, memberPredictions } from '../auto-impute/predict';

/**
 * The table imputer's fill (raw units) of every cell of the rows flagged in `rows` (NaN elsewhere): the same
 * numbers its model.onnx gives (training/models/auto-impute/predict.ts), computed in JS on those rows only.
 */
export function crossColumnFill(parts: ImputerParts, values: Float32Array, rows: Uint8Array): Float64Array {
  const f = parts.features;
  const n = values.length / f;
  const pick: number[] = [];
  for (let i = 0; i < n; i++) if (rows[i]) pick.push(i);
  const out = new Float64Array(values.length).fill(NaN);
  if (pick.length === 0) return out;
  const sub = new Float32Array(pick.length * f);
  pick.forEach((i, k) => sub.set(values.subarray(i * f, i * f + f), k * f));
  const { x, mask } = scaled(parts, sub);
  const { value } = combine(parts, memberPredictions(parts, x, mask), mask, x);
  const { offset, scale } = parts.scaler;
  pick.forEach((i, k) => {
    for (let j = 0; j < f; j++) out[i * f + j] = value[k * f + j]! * scale[j]! + offset[j]!;
  });
  return out;
}
