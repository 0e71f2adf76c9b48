import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { runKernel, type Conv2dAttrs } from './conv2d-backprop-filter';

type Info = tf.TensorInfo;
type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

/**
 * A faster Conv2DBackpropInput for the WASM backend (the input gradient of every convolution).
 * tfjs-backend-wasm ships one, but its direct loop cost as much as the rest of a conv1d-ae step. This
 * runs it as a forward convolution through the backend's XNNPACK Conv2D: dy dilated by the stride
 * (zeros between steps), correlated with the filter flipped in space and with in/out channels swapped,
 * padded by (f − 1 − pad) before. NCHW inputs, and paddings this cannot express, go to `fallback`
 * (the backend's own kernel).
 */
export function makeConv2dBackpropInputWasm(fallback: tf.KernelFunc | undefined): (args: KernelArgs) => Info {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { dy, filter } = args.inputs as { dy: Info; filter: Info };
    const attrs = args.attrs as unknown as Conv2dAttrs & { inputShape: [number, number, number, number] };
    const useFallback = (): Info => {
      if (!fallback) throw new Error('Conv2DBackpropInput on wasm: this case needs the backend kernel, which is missing');
      return fallback(args as unknown as Parameters<tf.KernelFunc>[0]) as Info;
    };
    const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
    if (dataFormat !== 'channelsLast') return useFallback();
    const info = tf.backend_util.computeConv2DInfo(
      attrs.inputShape, filter.shape as [number, number, number, number], attrs.strides, 1, attrs.pad,
      attrs.dimRoundingMode, false, dataFormat);
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
    const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
    const dH = (outHeight - 1) * strideHeight + 1;
    const dW = (outWidth - 1) * strideWidth + 1;
    const top = filterHeight - 1 - info.padInfo.top;
    const left = filterWidth - 1 - info.padInfo.left;
    const bottom = inHeight + filterHeight - 1 - top - dH;
    const right = inWidth + filterWidth - 1 - left - dW;
    if (top < 0 || left < 0 || bottom < 0 || right < 0) return useFallback();

    // Filter [fH, fW, C, O] → flipped [fH, fW, O, C].
    const flipped = backend.makeOutput([filterHeight, filterWidth, outChannels, inChannels], 'float32');
    let dilated: Info = dy;
    if (strideHeight > 1 || strideWidth > 1) dilated = backend.makeOutput([batchSize, dH, dW, outChannels], 'float32');
    const w = backend.typedArrayFromHeap(filter) as Float32Array;
    const wf = backend.typedArrayFromHeap(flipped) as Float32Array;
    for (let fh = 0; fh < filterHeight; fh++) {
      for (let fw = 0; fw < filterWidth; fw++) {
        const src = ((filterHeight - 1 - fh) * filterWidth + (filterWidth - 1 - fw)) * inChannels * outChannels;
        const dst = (fh * filterWidth + fw) * outChannels * inChannels;
        for (let c = 0; c < inChannels; c++)
          for (let o = 0; o < outChannels; o++) wf[dst + o * inChannels + c] = w[src + c * outChannels + o];
      }
    }
    if (dilated !== dy) {
      const d = backend.typedArrayFromHeap(dilated) as Float32Array;
      const g = backend.typedArrayFromHeap(dy) as Float32Array;
      d.fill(0);
      for (let n = 0; n < batchSize; n++) {
        for (let oh = 0; oh < outHeight; oh++) {
          for (let ow = 0; ow < outWidth; ow++) {
            const src = ((n * outHeight + oh) * outWidth + ow) * outChannels;
            const dst = ((n * dH + oh * strideHeight) * dW + ow * strideWidth) * outChannels;
            for (let o = 0; o < outChannels; o++) d[dst + o] = g[src + o];
          }
        }
      }
    }
    const out = runKernel('Conv2D', { x: dilated, filter: flipped }, backend, {
      strides: [1, 1],
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [1, 1],
      dimRoundingMode: undefined,
    });
    backend.disposeData(flipped.dataId);
    if (dilated !== dy) backend.disposeData(dilated.dataId);
    return out;
  };
}
