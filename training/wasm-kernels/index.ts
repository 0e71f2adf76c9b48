import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterWasm } from './conv2d-backprop-filter';
import { unsortedSegmentSumWasm } from './unsorted-segment-sum';

/**
 * Gradient kernels that tfjs-backend-wasm 4.22 lacks, found by training every zoo layer on WASM:
 * - Conv2DBackpropFilter: the weight gradient of every convolution (Conv1D runs as Conv2D).
 * - UnsortedSegmentSum: the gradient of Gather (tf.gather, used by index-based slicing).
 * (Conv2DBackpropInput, MaxPoolGrad, AvgPoolGrad and ResizeNearestNeighborGrad ship with the backend.)
 */
export const WASM_GRADIENT_KERNELS = ['Conv2DBackpropFilter', 'UnsortedSegmentSum'] as const;

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
  registered = true;
  return added;
}
