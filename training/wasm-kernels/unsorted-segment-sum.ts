import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type Info = tf.TensorInfo;

/**
 * UnsortedSegmentSum for the WASM backend (the gradient of Gather): out[s, ...] = Σ_{i: ids[i]=s} x[i, ...]
 * for segmentIds of x's leading dimensions, summing float32 on the heap; ids outside [0, numSegments)
 * are dropped, as TensorFlow does.
 */
export function unsortedSegmentSumWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): Info {
  const backend = args.backend as BackendWasm;
  const { x, segmentIds } = args.inputs as { x: Info; segmentIds: Info };
  const numSegments = (args.attrs as unknown as { numSegments: number }).numSegments;
  const idRank = segmentIds.shape.length;
  const lead = tf.util.sizeFromShape(segmentIds.shape);
  const inner = tf.util.sizeFromShape(x.shape.slice(idRank));
  const outShape = [numSegments, ...x.shape.slice(idRank)];
  const out = backend.makeOutput(outShape, x.dtype);
  const o = backend.typedArrayFromHeap(out);
  const xv = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  o.fill(0);
  for (let i = 0; i < lead; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) o[dst + j] += xv[src + j];
  }
  return out;
}
