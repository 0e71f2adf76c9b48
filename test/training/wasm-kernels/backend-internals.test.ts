import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '../../../training/backend';
import {
  WASM_BACKEND_INTERNALS, backendMemory, elementOffset, heapF32, heapI32, heapKernels, missingWasmBackendInternals,
} from '../../../training/wasm-kernels/backend-heap';

/**
 * The heap kernels (BatchMatMul, Conv2DBackpropFilter, Slice on wasm) read two tfjs-backend-wasm internals.
 * Without them the kernels fall back to slower paths and the other wasm tests still pass, so this test is
 * what fails, naming the internal that moved, after a tfjs-backend-wasm upgrade.
 */
describe('tfjs-backend-wasm internals used by training/wasm-kernels', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });
  afterAll(async () => {
    await selectBackend('cpu');
  });

  const backend = (): BackendWasm => tf.backend() as unknown as BackendWasm;

  it('are all present on a real wasm backend', () => {
    const probe = tf.tensor([1, 2, 3, 4]);
    const missing = missingWasmBackendInternals(backend(), probe);
    probe.dispose();
    if (missing.length > 0) {
      throw new Error(`tfjs-backend-wasm internals moved: ${missing.join(', ')} (update training/wasm-kernels/backend-heap.ts)`);
    }
    expect(WASM_BACKEND_INTERNALS).toEqual(['backend.wasm.asm.memory', 'backend.dataIdMap.get(dataId).memoryOffset']);
  });

  it('mean what the kernels assume: the memory holds the tensor data at memoryOffset', () => {
    const values = [1.5, -2.25, 3.125, 4096, 7];
    const f = tf.tensor(values, [5], 'float32');
    const i = tf.tensor([7, -9, 11], [3], 'int32');
    const fAt = elementOffset(backend(), f as unknown as tf.TensorInfo);
    const iAt = elementOffset(backend(), i as unknown as tf.TensorInfo);
    expect(Array.from(heapF32(backend()).subarray(fAt, fAt + 5))).toEqual(values);
    expect(Array.from(heapI32(backend()).subarray(iAt, iAt + 3))).toEqual([7, -9, 11]);
    expect(backendMemory(backend())!.buffer).toBe(heapF32(backend()).buffer);
    tf.dispose([f, i]);
  });

  it('let the SIMD kernels run on the backend heap (a GEMM on two tensors writes a third in place)', () => {
    const k = heapKernels(backend());
    if (!k) throw new Error('heapKernels returned null on a wasm backend: WebAssembly SIMD or backend.wasm.asm.memory is missing');
    const a = tf.tensor([[1, 2], [3, 4]]);
    const b = tf.tensor([[1, 0, 0, 1], [0, 1, 1, 0]]);
    const c = tf.zeros([2, 4]);
    const off = (t: tf.Tensor): number => elementOffset(backend(), t as unknown as tf.TensorInfo);
    k.gemm({ a: off(a), b: off(b), c: off(c), m: 2, n: 4, k: 2 });
    expect(Array.from(heapF32(backend()).subarray(off(c), off(c) + 8))).toEqual([1, 2, 2, 1, 3, 4, 4, 3]);
    tf.dispose([a, b, c]);
  });
});
