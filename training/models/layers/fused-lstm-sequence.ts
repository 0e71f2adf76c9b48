import * as tf from '@tensorflow/tfjs';

/**
 * One LSTM layer over a whole sequence as a single differentiable op (tf.customGrad). tfjs-layers' LSTM
 * issues ~15 kernels per time step forward and more backward (~10,000 kernels per training step of a
 * T=32 encoder–decoder), each dispatch-bound on WASM. Here only the recurrence runs step by step, as
 * JS loops over Float32Arrays (h·R forward, dz·Rᵀ backward); everything that is not recurrent is one
 * backend matmul over all T·B rows: x·W + b forward, and dW = Xᵀ·DZ, dR = H₋₁ᵀ·DZ, dx = DZ·Wᵀ backward
 * (long inner dimension: the fast shape on WASM). Gates in the tfjs/Keras order i, f, c, o; recurrent
 * activation sigmoid, activation tanh; zero initial state.
 *
 * x [B, T, F], kernel [F, 4U], recurrent [U, 4U], bias [4U] → h [B, T, U] (sequences) or [B, U] (last).
 */
/** From this input width on, x·W runs as one backend matmul instead of a JS loop. */
const BACKEND_MATMUL_MIN = 16;

export function fusedLstmSequence(x: tf.Tensor, kernel: tf.Tensor, recurrent: tf.Tensor, bias: tf.Tensor, returnSequences: boolean): tf.Tensor {
  const body = (xi: tf.Tensor, wi: tf.Tensor, ri: tf.Tensor, bi: tf.Tensor): { value: tf.Tensor; gradFunc: (dy: tf.Tensor) => tf.Tensor[] } => {
    const [B, T, F] = xi.shape as [number, number, number];
    const H = wi.shape[1]!;
    const U = H / 4;
    const rows = T * B;
    // Time-major copies: row t·B + b.
    // Plain arrays only: tensors made here would be disposed when the forward scope ends, and small
    // tfjs ops (a [T·B, F]·[F, 4U] matmul with F = 4, a broadcast bias add) cost more than these loops.
    const xv = xi.dataSync() as Float32Array;
    const wData = wi.dataSync() as Float32Array;
    const bv = bi.dataSync() as Float32Array;
    const xtData = new Float32Array(rows * F);
    const xw = new Float32Array(rows * H);
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const row = t * B + b;
        const src = (b * T + t) * F;
        const zb = row * H;
        for (let j = 0; j < H; j++) xw[zb + j] = bv[j]!;
        for (let k = 0; k < F; k++) {
          const xk = xv[src + k]!;
          xtData[row * F + k] = xk;
          if (xk === 0 || F >= BACKEND_MATMUL_MIN) continue;
          const wk = k * H;
          for (let j = 0; j < H; j++) xw[zb + j] += xk * wData[wk + j]!;
        }
      }
    }
    if (F >= BACKEND_MATMUL_MIN) {
      const p = tf.tidy(() => tf.matMul(tf.tensor(xtData, [rows, F]), wi).dataSync() as Float32Array);
      for (let i = 0; i < xw.length; i++) xw[i] += p[i]!;
    }
    const rData = ri.dataSync() as Float32Array;
    const gates = new Float32Array(rows * H);
    const cells = new Float32Array(rows * U);
    const tanhC = new Float32Array(rows * U);
    // hPrev[t·B + b] = h_{t−1}[b] (zeros at t = 0); h_t itself is hPrev[(t+1)·B + b].
    const hPrev = new Float32Array((T + 1) * B * U);
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const row = t * B + b;
        const gb = row * H;
        // z_t += h_{t−1} · R in JS: a [B, U]·[U, 4U] backend matmul per step (inner dimension U) was
        // slower than this loop on WASM.
        if (t > 0) {
          const hb = row * U;
          for (let k = 0; k < U; k++) {
            const hk = hPrev[hb + k]!;
            if (hk === 0) continue;
            const rk = k * H;
            for (let j = 0; j < H; j++) xw[gb + j] += hk * rData[rk + j]!;
          }
        }
        const cb = row * U;
        const cPrev = t > 0 ? cb - B * U : -1;
        const hOut = cb + B * U;
        for (let u = 0; u < U; u++) {
          const ig = 1 / (1 + Math.exp(-xw[gb + u]!));
          const fg = 1 / (1 + Math.exp(-xw[gb + U + u]!));
          const gg = Math.tanh(xw[gb + 2 * U + u]!);
          const og = 1 / (1 + Math.exp(-xw[gb + 3 * U + u]!));
          gates[gb + u] = ig;
          gates[gb + U + u] = fg;
          gates[gb + 2 * U + u] = gg;
          gates[gb + 3 * U + u] = og;
          const c = (cPrev >= 0 ? fg * cells[cPrev + u]! : 0) + ig * gg;
          cells[cb + u] = c;
          const tc = Math.tanh(c);
          tanhC[cb + u] = tc;
          hPrev[hOut + u] = og * tc;
        }
      }
    }
    let value: tf.Tensor;
    if (returnSequences) {
      const out = new Float32Array(B * T * U);
      for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) out.set(hPrev.subarray(((t + 1) * B + b) * U, ((t + 1) * B + b + 1) * U), (b * T + t) * U);
      value = tf.tensor(out, [B, T, U]);
    } else {
      value = tf.tensor(hPrev.slice(T * B * U), [B, U]);
    }

    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      const g = dy.dataSync() as Float32Array;
      const dz = new Float32Array(rows * H);
      const dh = new Float32Array(B * U);
      const dc = new Float32Array(B * U);
      if (!returnSequences) dh.set(g);
      const rT = T > 1 ? tf.tensor(rData, [U, H]) : null;
      for (let t = T - 1; t >= 0; t--) {
        for (let b = 0; b < B; b++) {
          const row = t * B + b;
          const gb = row * H;
          const cb = row * U;
          const cPrev = t > 0 ? cb - B * U : -1;
          for (let u = 0; u < U; u++) {
            const h = returnSequences ? dh[b * U + u]! + g[(b * T + t) * U + u]! : dh[b * U + u]!;
            const ig = gates[gb + u]!;
            const fg = gates[gb + U + u]!;
            const gg = gates[gb + 2 * U + u]!;
            const og = gates[gb + 3 * U + u]!;
            const tc = tanhC[cb + u]!;
            const c = dc[b * U + u]! + h * og * (1 - tc * tc);
            const cp = cPrev >= 0 ? cells[cPrev + u]! : 0;
            dz[gb + u] = c * gg * ig * (1 - ig);
            dz[gb + U + u] = c * cp * fg * (1 - fg);
            dz[gb + 2 * U + u] = c * ig * (1 - gg * gg);
            dz[gb + 3 * U + u] = h * tc * og * (1 - og);
            dc[b * U + u] = c * fg;
          }
        }
        // dh_{t−1} = dz_t · Rᵀ for the whole batch (the recurrence; only needed while t > 0).
        if (t > 0) dh.set(tf.tidy(() => tf.matMul(tf.tensor(dz.subarray(t * B * H, (t + 1) * B * H), [B, H]), rT!, false, true).dataSync() as Float32Array));
      }
      rT?.dispose();
      return tf.tidy(() => {
        const DZ = tf.tensor(dz, [rows, H]);
        const xt = tf.tensor(xtData, [rows, F]);
        const w = tf.tensor(wData, [F, H]);
        const hp = tf.tensor(hPrev.subarray(0, rows * U), [rows, U]);
        const dW = tf.matMul(xt, DZ, true, false);
        const dR = tf.matMul(hp, DZ, true, false);
        const db = tf.sum(DZ, 0);
        const dx = tf.transpose(tf.reshape(tf.matMul(DZ, w, false, true), [T, B, F]), [1, 0, 2]);
        return [dx, dW, dR, db];
      });
    };
    return { value, gradFunc };
  };
  const op = tf.customGrad(body as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...args: tf.Tensor[]) => tf.Tensor;
  return op(x, kernel, recurrent, bias);
}
