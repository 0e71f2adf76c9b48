import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type Info = tf.TensorInfo;
type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

/**
 * BatchMatMul for the WASM backend with the transposes made explicit: tfjs-backend-wasm 4.22's matmul
 * is ~3× slower with transposeA/transposeB than a Transpose kernel followed by a plain matmul (measured
 * on the dense-ae gradient shapes, e.g. [256,140]ᵀ·[256,64]: 1.8 ms vs 0.6 ms). Every weight and input
 * gradient of a Dense layer is such a transposed product.
 */
export function makeBatchMatMulWasm(original: tf.KernelFunc, transpose: tf.KernelFunc): (args: KernelArgs) => Info {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { a, b } = args.inputs as { a: Info; b: Info };
    const attrs = (args.attrs ?? {}) as unknown as { transposeA: boolean; transposeB: boolean };
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
    const out = original({ inputs: { a: at, b: bt }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } } as unknown as Parameters<tf.KernelFunc>[0]) as Info;
    if (at !== a) backend.disposeData(at.dataId);
    if (bt !== b) backend.disposeData(bt.dataId);
    return out;
  };
}
