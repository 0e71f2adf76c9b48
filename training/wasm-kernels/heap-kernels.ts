import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { instantiateLstmKernels, type LstmKernels } from './lstm-kernels';
import type { WasmMemory } from './wasm-assembler';

const instances = new WeakMap<object, LstmKernels>();

/**
 * The SIMD kernels (lstm-kernels: gemm, gemmTransposeA, ...) instantiated over tfjs-backend-wasm's own
 * memory, so they read and write backend tensors in place (pointers from `heapOffset`). Null when the
 * backend does not expose its memory or the runtime lacks WebAssembly SIMD.
 */
export function heapKernels(backend: BackendWasm): LstmKernels | null {
  const memory = (backend.wasm as unknown as { asm?: { memory?: WasmMemory } }).asm?.memory;
  if (!memory) return null;
  let k = instances.get(memory);
  if (!k) {
    try {
      k = instantiateLstmKernels(memory);
    } catch {
      return null;
    }
    instances.set(memory, k);
  }
  return k;
}

/** Byte offset of a backend tensor's data on the WASM heap. */
export function heapOffset(backend: BackendWasm, info: tf.TensorInfo): number {
  return (backend as unknown as { dataIdMap: { get(id: object): { memoryOffset: number } } }).dataIdMap.get(info.dataId).memoryOffset;
}
