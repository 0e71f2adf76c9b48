import * as tf from '@tensorflow/tfjs';
import { lstmKernelsAvailable } from '../../wasm-kernels/lstm-kernels';
import { LstmWorkspace } from './lstm-workspace';

/**
 * One LSTM layer over a whole sequence as a single differentiable op (tf.customGrad). tfjs-layers' LSTM
 * issues ~15 kernels per time step forward and more backward (~10,000 kernels per training step of a
 * T=32 encoder–decoder), each dispatch-bound on WASM. Here the whole recurrence, forward and backward,
 * runs in WebAssembly SIMD kernels (training/wasm-kernels/src/*.wat, wrapped by lstm-kernels) over one
 * workspace per layer: per step one GEMM [h_{t−1} x_t 1]·[R; W; b] and one fused gate pass forward, one
 * gate-gradient pass and one GEMM dz·[R; W; b]ᵀ backward, then the weight gradients as a single GEMM over
 * all T·B rows. Gates in the tfjs/Keras order i, f, c, o; recurrent activation sigmoid, activation
 * tanh; zero initial state.
 *
 * x [B, T, F], kernel [F, 4U], recurrent [U, 4U], bias [4U] → h [B, T, U] (sequences) or [B, U] (last).
 * With `repeatSteps` = T, x is [B, F], the input of every step (what a RepeatVector feeds a decoder):
 * its projection, its gradient and W's gradient are then computed once instead of T times.
 */
export function fusedLstmSequence(
  x: tf.Tensor,
  kernel: tf.Tensor,
  recurrent: tf.Tensor,
  bias: tf.Tensor,
  returnSequences: boolean,
  workspace = new LstmWorkspace(),
  repeatSteps?: number,
): tf.Tensor {
  const body = (
    xi: tf.Tensor,
    wi: tf.Tensor,
    ri: tf.Tensor,
    bi: tf.Tensor,
  ): { value: tf.Tensor; gradFunc: (dy: tf.Tensor) => tf.Tensor[] } => {
    const repeated = repeatSteps !== undefined;
    const [B, T, F] = (repeated ? [xi.shape[0], repeatSteps, xi.shape[1]] : xi.shape) as [number, number, number];
    const U = ri.shape[0]!;
    const dims = { B, T, F, U };
    const inputs = [xi, wi, ri, bi].map((t) => t.dataSync() as Float32Array) as [Float32Array, Float32Array, Float32Array, Float32Array];
    const out = workspace.forward(...inputs, dims, returnSequences, repeated);
    const generation = workspace.generation;
    const value = returnSequences ? tf.tensor(out, [B, T, U]) : tf.tensor(out, [B, U]);
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      // Another forward through this workspace since ours (a second apply before the gradient): redo ours.
      if (workspace.generation !== generation) workspace.forward(...inputs, dims, returnSequences, repeated);
      const g = workspace.backward(dy.dataSync() as Float32Array, returnSequences);
      return [
        tf.tensor(g.dx, repeated ? [B, F] : [B, T, F]),
        tf.tensor(g.dW, [F, 4 * U]),
        tf.tensor(g.dR, [U, 4 * U]),
        tf.tensor(g.db, [4 * U]),
      ];
    };
    return { value, gradFunc };
  };
  const op = tf.customGrad(body as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...args: tf.Tensor[]) => tf.Tensor;
  return op(x, kernel, recurrent, bias);
}

/** Whether this runtime can run the fused kernels (WebAssembly with SIMD). */
export function fusedLstmAvailable(): boolean {
  return lstmKernelsAvailable();
}
