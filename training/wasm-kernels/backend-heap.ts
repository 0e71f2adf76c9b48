import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { instantiateLstmKernels, type LstmKernels } from './lstm-kernels';
import type { WasmMemory } from './wasm-runtime';

/**
 * The two tfjs-backend-wasm 4.22 internals the heap kernels rely on (neither is public API; a test checks
 * both on a real backend and names the one that moved):
 * - `backend.wasm.asm.memory`: Emscripten's exported WebAssembly.Memory, the backend's heap;
 * - `backend.dataIdMap.get(dataId).memoryOffset`: a tensor's byte offset on that heap.
 */
export const WASM_BACKEND_INTERNALS = ['backend.wasm.asm.memory', 'backend.dataIdMap.get(dataId).memoryOffset'] as const;

type Internals = {
  wasm?: { asm?: { memory?: WasmMemory } };
  dataIdMap?: { get?(id: object): { memoryOffset?: unknown } | undefined };
};

/** The backend's heap, or null where `backend.wasm.asm.memory` is not a WebAssembly memory. */
export function backendMemory(backend: BackendWasm): WasmMemory | null {
  const memory = (backend as unknown as Internals).wasm?.asm?.memory;
  // Duck-typed: under jest the backend's memory comes from another realm than this module's ArrayBuffer.
  return memory && typeof memory.grow === 'function' && typeof memory.buffer?.byteLength === 'number' ? memory : null;
}

/** Which of WASM_BACKEND_INTERNALS are missing on `backend`, checked with the tensor `probe` on it. */
export function missingWasmBackendInternals(backend: BackendWasm, probe: tf.TensorInfo): string[] {
  const missing: string[] = [];
  if (!backendMemory(backend)) missing.push(WASM_BACKEND_INTERNALS[0]);
  const data = (backend as unknown as Internals).dataIdMap?.get?.(probe.dataId);
  if (typeof data?.memoryOffset !== 'number') missing.push(WASM_BACKEND_INTERNALS[1]);
  return missing;
}

const instances = new WeakMap<object, LstmKernels>();

/**
 * The SIMD kernels (lstm-kernels: gemm, gemmTransposeA, ...) instantiated over the backend's own heap, so
 * they read and write backend tensors in place (offsets from `elementOffset`). Null when the backend does
 * not expose its memory or the runtime lacks WebAssembly SIMD (callers then use the backend's kernels).
 */
export function heapKernels(backend: BackendWasm): LstmKernels | null {
  const memory = backendMemory(backend);
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

/** Offset of a 4-byte-element backend tensor's data on the heap, in elements (float32/int32 index). */
export function elementOffset(backend: BackendWasm, info: tf.TensorInfo): number {
  const bytes = (backend as unknown as Internals).dataIdMap?.get?.(info.dataId)?.memoryOffset;
  if (typeof bytes !== 'number' || bytes % 4 !== 0) {
    throw new Error(`tfjs-backend-wasm internals moved: ${WASM_BACKEND_INTERNALS[1]} is not a 4-byte-aligned number`);
  }
  return bytes / 4;
}

/** The whole heap as float32 (taken anew each call: the heap may grow, and move, on any allocation). */
export function heapF32(backend: BackendWasm): Float32Array {
  return new Float32Array(requireMemory(backend).buffer);
}

/** The whole heap as int32 (see heapF32). */
export function heapI32(backend: BackendWasm): Int32Array {
  return new Int32Array(requireMemory(backend).buffer);
}

function requireMemory(backend: BackendWasm): WasmMemory {
  const memory = backendMemory(backend);
  if (!memory) throw new Error(`tfjs-backend-wasm internals moved: ${WASM_BACKEND_INTERNALS[0]} is not a WebAssembly memory`);
  return memory;
}
