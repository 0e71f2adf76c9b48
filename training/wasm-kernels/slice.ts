import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { elementOffset, heapI32 } from './backend-heap';

type Info = tf.TensorInfo;
type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

/**
 * Slice for the WASM backend without a copy of the whole input. tfjs-backend-wasm 4.22's Slice starts
 * with readSync(x) (a full copy off the heap) and then copies row by row through subarray views; concat's
 * gradient (SplitV → one Slice per part) made that ~20% of a conv1d-ae step. Here each contiguous run of
 * the slice is one copyWithin inside the heap. 4-byte dtypes only (float32, int32); others go to
 * `original`.
 */
export function makeSliceWasm(original: tf.KernelFunc): (args: KernelArgs) => Info {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { x } = args.inputs as { x: Info };
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return original(args as unknown as Parameters<tf.KernelFunc>[0]) as Info;
    const attrs = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin, attrs.size);
    const out = backend.makeOutput(size, x.dtype);
    if (tf.util.sizeFromShape(size) === 0) return out;
    // The heap view is taken after makeOutput (which may grow the memory).
    const heap = heapI32(backend);
    const shape = x.shape;
    const rank = shape.length;
    const strides = [...tf.util.computeStrides(shape), 1];
    // Axes after `d` are taken whole, so each run of size[d]·strides[d] elements is contiguous.
    let d = rank - 1;
    while (d > 0 && size[d] === shape[d]) d--;
    const run = size[d]! * strides[d]!;
    const src0 = elementOffset(backend, x) + begin[d]! * strides[d]!;
    let dst = elementOffset(backend, out);
    const idx = new Array<number>(d).fill(0);
    for (;;) {
      let src = src0;
      for (let i = 0; i < d; i++) src += (begin[i]! + idx[i]!) * strides[i]!;
      heap.copyWithin(dst, src, src + run);
      dst += run;
      let i = d - 1;
      while (i >= 0 && ++idx[i]! === size[i]) idx[i--] = 0;
      if (i < 0) break;
    }
    return out;
  };
}

/** SplitV for the WASM backend through `slice` (the backend's SplitV calls its own Slice directly). */
export function makeSplitVWasm(slice: (args: KernelArgs) => Info): (args: KernelArgs) => Info[] {
  return (args) => {
    const { x } = args.inputs as { x: Info };
    const attrs = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
    const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x, attrs.numOrSizeSplits, axis);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = [...x.shape];
      size[axis] = s;
      const part = slice({ inputs: { x }, backend: args.backend, attrs: { begin: [...begin], size } as unknown as tf.NamedAttrMap });
      begin[axis]! += s;
      return part;
    });
  };
}
