import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { elementOffset, heapKernels } from './backend-heap';

type Info = tf.TensorInfo;
type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

/**
 * BatchMatMul for the WASM backend with the transposes made explicit: tfjs-backend-wasm 4.22's matmul
 * is ~3× slower with transposeA/transposeB than a Transpose kernel followed by a plain matmul (measured
 * on the dense-ae gradient shapes, e.g. [256,140]ᵀ·[256,64]: 1.8 ms vs 0.6 ms). Every weight and input
 * gradient of a Dense layer is such a transposed product.
 * When the output width is a multiple of 4, float32 products run in the SIMD GEMM of backend-heap in place
 * on the backend heap instead (Aᵀ·B natively, A·Bᵀ after an explicit Transpose of B).
 */
export function makeBatchMatMulWasm(original: tf.KernelFunc, transpose: tf.KernelFunc): (args: KernelArgs) => Info {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { a, b } = args.inputs as { a: Info; b: Info };
    const attrs = (args.attrs ?? {}) as unknown as { transposeA: boolean; transposeB: boolean };
    const fast = heapGemm(backend, a, b, attrs.transposeA, attrs.transposeB, transpose);
    if (fast) return fast;
    if (!attrs.transposeA && !attrs.transposeB) return original(args as unknown as Parameters<tf.KernelFunc>[0]) as Info;
    const swapLast = (x: Info): Info => {
      const r = x.shape.length;
      const perm = x.shape.map((_, i) => i);
      perm[r - 1] = r - 2;
      perm[r - 2] = r - 1;
      return transpose({ inputs: { x }, backend, attrs: { perm } } as unknown as Parameters<tf.KernelFunc>[0]) as Info;
    };
    const at = attrs.transposeA ? swapLast(a) : a;
    const bt = attrs.transposeB ? swapLast(b) : b;
    const out = original({
      inputs: { a: at, b: bt },
      backend,
      attrs: { ...attrs, transposeA: false, transposeB: false },
    } as unknown as Parameters<tf.KernelFunc>[0]) as Info;
    if (at !== a) backend.disposeData(at.dataId);
    if (bt !== b) backend.disposeData(bt.dataId);
    return out;
  };
}

/** C = op(A)·op(B) with the heap GEMM, or null when the shapes/dtypes are not ones it takes. */
function heapGemm(backend: BackendWasm, a: Info, b: Info, ta: boolean, tb: boolean, transpose: tf.KernelFunc): Info | null {
  const kernels = heapKernels(backend);
  const rank = a.shape.length;
  if (!kernels || a.dtype !== 'float32' || b.dtype !== 'float32' || (rank !== 2 && rank !== 3) || b.shape.length !== rank) return null;
  const [batchA, ra, ca] = (rank === 2 ? [1, ...a.shape] : a.shape) as [number, number, number];
  const [batchB, rb, cb] = (rank === 2 ? [1, ...b.shape] : b.shape) as [number, number, number];
  const [M, K] = ta ? [ca, ra] : [ra, ca];
  const N = tb ? rb : cb;
  if ((tb ? cb : rb) !== K || N % 4 !== 0 || (batchA !== batchB && batchA !== 1 && batchB !== 1)) return null;
  const batch = Math.max(batchA, batchB);
  let bt: Info = b;
  if (tb) {
    bt = transpose({
      inputs: { x: b },
      backend,
      attrs: { perm: rank === 2 ? [1, 0] : [0, 2, 1] },
    } as unknown as Parameters<tf.KernelFunc>[0]) as Info;
  }
  const out = backend.makeOutput(rank === 2 ? [M, N] : [batch, M, N], 'float32');
  const [pa, pb, pc] = [elementOffset(backend, a), elementOffset(backend, bt), elementOffset(backend, out)];
  for (let i = 0; i < batch; i++) {
    const a0 = pa + (batchA === 1 ? 0 : i * ra * ca);
    const b0 = pb + (batchB === 1 ? 0 : i * K * N);
    const args = { a: a0, b: b0, c: pc + i * M * N, m: M, n: N, k: K, lda: ca };
    if (ta) kernels.gemmTransposeA(args);
    else kernels.gemm(args);
  }
  if (bt !== b) backend.disposeData(bt.dataId);
  return out;
}
