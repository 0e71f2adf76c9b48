import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type Info = tf.TensorInfo;

/**
 * Conv2DBackpropFilter for the WASM backend, which ships without it (so conv layers cannot train there).
 * dW[fh,fw,c,o] = Σ_{n,oh,ow} x[n, oh·sH + fh − padTop, ow·sW + fw − padLeft, c] · dy[n,oh,ow,o].
 * Computed as im2col on the WASM heap (JS loop, one pass over the patches), written transposed as
 * colsᵀ [fH·fW·C, N·oH·oW], then the backend's BatchMatMul dW = colsᵀ · dy with dy [N·oH·oW, O]: with the
 * long N·oH·oW axis as the inner dimension and no transpose flags it runs ~10× faster than colsᵀ via
 * transposeA (measured 2 ms vs 24 ms for a conv1d-ae layer).
 */
export function conv2dBackpropFilterWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): Info {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: Info; dy: Info };
  const attrs = args.attrs as unknown as {
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad,
    attrs.dimRoundingMode, false, dataFormat);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const channelsLast = info.dataFormat === 'channelsLast';
  const positions = batchSize * outHeight * outWidth;
  const patch = filterHeight * filterWidth * inChannels;

  const cols = backend.makeOutput([patch, positions], 'float32');
  // Views are taken after every allocation: the heap may grow (and move) on makeOutput.
  const colsView = backend.typedArrayFromHeap(cols) as Float32Array;
  const xv = backend.typedArrayFromHeap(x) as Float32Array;
  const [xsN, xsA, xsB, xsC] = tf.util.computeStrides(x.shape).concat([1]);
  // Strides of (n, row, col, channel) in x, whatever its layout.
  const sN = xsN;
  const sRow = channelsLast ? xsA : xsB;
  const sCol = channelsLast ? xsB : xsC;
  const sCh = channelsLast ? 1 : xsA;

  let p = 0;
  for (let n = 0; n < batchSize; n++) {
    const xn = n * sN;
    for (let oh = 0; oh < outHeight; oh++) {
      const ih0 = oh * strideHeight - padTop;
      for (let ow = 0; ow < outWidth; ow++) {
        const iw0 = ow * strideWidth - padLeft;
        let k = p;
        for (let fh = 0; fh < filterHeight; fh++) {
          const ih = ih0 + fh;
          const rowOk = ih >= 0 && ih < inHeight;
          for (let fw = 0; fw < filterWidth; fw++) {
            const iw = iw0 + fw;
            if (!rowOk || iw < 0 || iw >= inWidth) {
              for (let c = 0; c < inChannels; c++, k += positions) colsView[k] = 0;
              continue;
            }
            const base = xn + ih * sRow + iw * sCol;
            for (let c = 0; c < inChannels; c++, k += positions) colsView[k] = xv[base + c * sCh];
          }
        }
        p++;
      }
    }
  }

  let dyRows: Info = dy;
  let transposed: Info | null = null;
  if (!channelsLast) {
    // NCHW dy → NHWC so that rows are output positions.
    transposed = runKernel('Transpose', { x: dy }, backend, { perm: [0, 2, 3, 1] });
    dyRows = transposed;
  }
  const a: Info = { dataId: cols.dataId, shape: [1, patch, positions], dtype: 'float32' };
  const b: Info = { dataId: dyRows.dataId, shape: [1, positions, outChannels], dtype: 'float32' };
  const out = runKernel('BatchMatMul', { a, b }, backend, { transposeA: false, transposeB: false });
  backend.disposeData(cols.dataId);
  if (transposed) backend.disposeData(transposed.dataId);
  return { dataId: out.dataId, shape: [filterHeight, filterWidth, inChannels, outChannels], dtype: 'float32' };
}

/** Calls another registered WASM kernel directly (inside a kernel, without the engine). */
export function runKernel(name: string, inputs: tf.NamedTensorInfoMap, backend: BackendWasm, attrs: Record<string, unknown>): Info {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`the wasm backend has no '${name}' kernel`);
  const out = kernel.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap });
  return (Array.isArray(out) ? out[0] : out) as Info;
}
