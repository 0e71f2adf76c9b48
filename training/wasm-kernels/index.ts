import * as tf from '@tensorflow/tfjs';
import { makeBatchMatMulWasm } from './batch-mat-mul';
import { conv2dBackpropFilterWasm } from './conv2d-backprop-filter';
import { makeConv2dBackpropInputWasm } from './conv2d-backprop-input';
import { makeSliceWasm, makeSplitVWasm } from './slice';
import { unsortedSegmentSumWasm } from './unsorted-segment-sum';

/**
 * Gradient kernels that tfjs-backend-wasm 4.22 lacks, found by training every zoo layer on WASM:
 * - Conv2DBackpropFilter: the weight gradient of every convolution (Conv1D runs as Conv2D).
 * - UnsortedSegmentSum: the gradient of Gather (tf.gather, used by index-based slicing).
 * (MaxPoolGrad, AvgPoolGrad and ResizeNearestNeighborGrad ship with the backend.)
 * Replaced for speed: Conv2DBackpropInput (the backend's direct loop → XNNPACK matmul + col2im; NCHW
 * still goes to the backend's own kernel) and BatchMatMul (explicit Transpose + plain matmul instead of
 * the backend's ~3× slower transposeA/transposeB paths), Slice (copyWithin inside the heap instead of a
 * readSync copy of the whole input per slice) and SplitV (concat's gradient; the backend's calls its own Slice).
 */
export const WASM_GRADIENT_KERNELS = ['Conv2DBackpropFilter', 'UnsortedSegmentSum'] as const;
export const WASM_REPLACED_KERNELS = ['Conv2DBackpropInput', 'BatchMatMul', 'Slice', 'SplitV'] as const;

let registered = false;

/** Registers the missing kernels for backendName 'wasm' (idempotent; existing kernels are left alone). */
export function registerWasmGradientKernels(): string[] {
  const added: string[] = [];
  if (registered) return added;
  const add = (kernelName: string, kernelFunc: tf.KernelFunc): void => {
    if (tf.getKernel(kernelName, 'wasm')) return;
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
    added.push(kernelName);
  };
  add('Conv2DBackpropFilter', conv2dBackpropFilterWasm as unknown as tf.KernelFunc);
  add('UnsortedSegmentSum', unsortedSegmentSumWasm as unknown as tf.KernelFunc);
  const builtin = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (builtin) tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: makeConv2dBackpropInputWasm(builtin?.kernelFunc) as unknown as tf.KernelFunc,
    setupFunc: builtin?.setupFunc,
  });
  added.push('Conv2DBackpropInput');
  const matMul = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (matMul && transpose) {
    tf.unregisterKernel('BatchMatMul', 'wasm');
    tf.registerKernel({
      kernelName: 'BatchMatMul',
      backendName: 'wasm',
      kernelFunc: makeBatchMatMulWasm(matMul.kernelFunc, transpose.kernelFunc) as unknown as tf.KernelFunc,
      setupFunc: matMul.setupFunc,
    });
    added.push('BatchMatMul');
  }
  const slice = tf.getKernel('Slice', 'wasm');
  if (slice) {
    tf.unregisterKernel('Slice', 'wasm');
    const fastSlice = makeSliceWasm(slice.kernelFunc);
    tf.registerKernel({
      kernelName: 'Slice',
      backendName: 'wasm',
      kernelFunc: fastSlice as unknown as tf.KernelFunc,
      setupFunc: slice.setupFunc,
    });
    added.push('Slice');
    const splitV = tf.getKernel('SplitV', 'wasm');
    if (splitV) tf.unregisterKernel('SplitV', 'wasm');
    tf.registerKernel({
      kernelName: 'SplitV',
      backendName: 'wasm',
      kernelFunc: makeSplitVWasm(fastSlice) as unknown as tf.KernelFunc,
      setupFunc: splitV?.setupFunc,
    });
    added.push('SplitV');
  }
  registered = true;
  return added;
}
