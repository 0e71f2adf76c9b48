import { instantiateLstmKernels, type LstmKernels } from '../../wasm-kernels/lstm-kernels';
import { wasmApi } from '../../wasm-kernels/wasm-runtime';

/** Float offsets of the buffers in a workspace's memory for one (B, T, F, U) shape. */
interface Layout {
  B: number;
  T: number;
  F: number;
  U: number;
  /** Units padded to a multiple of 4 (padded units have zero weights and stay 0). */
  Up: number;
  /** Row width of XH = [h (Up) | x (F) | 1], and the same padded to a multiple of 4. */
  K: number;
  Kp: number;
  wr: number;
  wrt: number;
  xh: number;
  z: number;
  c: number;
  tc: number;
  zero: number;
  dy: number;
  dc: number;
  dz: number;
  dxh: number;
  dwr: number;
  xp: number;
  p: number;
  sdz: number;
  ones: number;
  dxr: number;
  end: number;
}

function layout(B: number, T: number, F: number, U: number): Layout {
  const Up = Math.ceil(U / 4) * 4;
  const G = 4 * Up;
  const K = Up + F + 1;
  const Kp = Math.ceil(K / 4) * 4;
  let at = 0;
  const take = (n: number): number => {
    const start = at;
    at += Math.ceil(n / 4) * 4;
    return start;
  };
  const l = {
    B,
    T,
    F,
    U,
    Up,
    K,
    Kp,
    wr: take(Kp * G),
    wrt: take(G * Kp),
    xh: take((T + 1) * B * Kp),
    z: take(T * B * G),
    c: take(T * B * Up),
    tc: take(T * B * Up),
  };
  const rest = {
    zero: take(Math.max(G, Kp)),
    dy: take(T * B * Up),
    dc: take(B * Up),
    dz: take(T * B * G),
    dxh: take(T * B * Kp),
    dwr: take(Kp * G),
  };
  // Repeated input (x_t the same at every step): [x 1] rows, their projection, Σ_t dz, ones, dx.
  const F4 = Math.ceil(F / 4) * 4;
  const repeated = { xp: take(B * (F + 1)), p: take(B * G), sdz: take(B * G), ones: take(T), dxr: take(B * F4) };
  return { ...l, ...rest, ...repeated, end: at };
}

export interface LstmGradients {
  dx: Float32Array;
  dW: Float32Array;
  dR: Float32Array;
  db: Float32Array;
}

/**
 * The memory and kernels of one LSTM layer: forward keeps the gates, cells and inputs of every step in
 * the workspace for the backward pass (time-major, [h_{t−1} x_t 1]·[R; W; b] as one product per step, so
 * the bias and the input projection ride in the same SIMD GEMM). `generation` counts forwards, so a
 * backward can tell whether another forward overwrote its state (then it recomputes).
 */
export class LstmWorkspace {
  private memory = new wasmApi!.Memory({ initial: 16 });
  private kernels: LstmKernels = instantiateLstmKernels(this.memory);
  private f32 = new Float32Array(this.memory.buffer);
  private l: Layout | null = null;
  private repeated = false;
  generation = 0;

  private prepare(B: number, T: number, F: number, U: number): Layout {
    const l = this.l && this.l.B === B && this.l.T === T && this.l.F === F && this.l.U === U ? this.l : layout(B, T, F, U);
    const bytes = l.end * 4;
    if (bytes > this.memory.buffer.byteLength) {
      this.memory.grow(Math.ceil((bytes - this.memory.buffer.byteLength) / 65536));
      this.f32 = new Float32Array(this.memory.buffer);
    }
    if (l !== this.l) {
      this.f32.fill(0, 0, l.end);
      this.l = l;
    }
    return l;
  }

  /**
   * x [B, T, F] (batch-major), kernel [F, 4U], recurrent [U, 4U], bias [4U] in the tfjs gate order i, f, c, o.
   * Returns h [B, T, U] when returnSequences, else h_T [B, U]. `repeated`: x is [B, F], the input of every
   * step (a RepeatVector's source): its projection [x 1]·[W; b] is computed once, not T times.
   */
  forward(
    x: Float32Array,
    kernel: Float32Array,
    recurrent: Float32Array,
    bias: Float32Array,
    dims: { B: number; T: number; F: number; U: number },
    returnSequences: boolean,
    repeated = false,
  ): Float32Array {
    const { B, T, F, U } = dims;
    const l = this.prepare(B, T, F, U);
    const { Up, K, Kp } = l;
    const G = 4 * Up;
    const m = this.f32;
    this.generation++;
    // WR [Kp, G]: rows 0..U−1 = R, Up..Up+F−1 = W, Up+F = bias; WRT its transpose.
    m.fill(0, l.wr, l.wr + Kp * G);
    for (let q = 0; q < 4; q++) {
      for (let u = 0; u < U; u++) {
        const col = q * Up + u;
        const src = q * U + u;
        for (let k = 0; k < U; k++) m[l.wr + k * G + col] = recurrent[k * 4 * U + src]!;
        for (let k = 0; k < F; k++) m[l.wr + (Up + k) * G + col] = kernel[k * 4 * U + src]!;
        m[l.wr + (Up + F) * G + col] = bias[src]!;
      }
    }
    for (let k = 0; k < Kp; k++) for (let j = 0; j < G; j++) m[l.wrt + j * Kp + k] = m[l.wr + k * G + j]!;
    this.repeated = repeated;
    const k = this.kernels;
    // XH rows (t, b): h part written by the cell of step t−1 (zeros at t = 0), then x_t and 1.
    m.fill(0, l.xh, l.xh + B * Kp);
    if (repeated) {
      for (let b = 0; b < B; b++) {
        for (let q = 0; q < F; q++) m[l.xp + b * (F + 1) + q] = x[b * F + q]!;
        m[l.xp + b * (F + 1) + F] = 1;
      }
      k.gemm({ a: l.xp, b: l.wr + Up * G, c: l.p, m: B, n: G, k: F + 1 });
    }
    for (let t = 0; t < T && !repeated; t++) {
      for (let b = 0; b < B; b++) {
        const row = l.xh + (t * B + b) * Kp;
        const src = (b * T + t) * F;
        for (let k = 0; k < F; k++) m[row + Up + k] = x[src + k]!;
        m[row + Up + F] = 1;
      }
    }
    for (let t = 0; t < T; t++) {
      const z = l.z + t * B * G;
      if (!repeated) {
        k.gemm({ a: l.xh + t * B * Kp, b: l.wr, c: z, m: B, n: G, k: K, lda: Kp });
      } else {
        m.copyWithin(z, l.p, l.p + B * G);
        if (t > 0) k.gemmAccumulate({ a: l.xh + t * B * Kp, b: l.wr, c: z, m: B, n: G, k: Up, lda: Kp });
      }
      const cPrev = t > 0 ? l.c + (t - 1) * B * Up : l.zero;
      k.lstmForwardCell({
        z,
        cPrev,
        cPrevStride: t > 0 ? Up : 0,
        c: l.c + t * B * Up,
        tanhC: l.tc + t * B * Up,
        h: l.xh + (t + 1) * B * Kp,
        hStride: Kp,
        batch: B,
        units: Up,
      });
    }
    if (!returnSequences) {
      const out = new Float32Array(B * U);
      for (let b = 0; b < B; b++) out.set(m.subarray(l.xh + (T * B + b) * Kp, l.xh + (T * B + b) * Kp + U), b * U);
      return out;
    }
    const out = new Float32Array(B * T * U);
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const row = l.xh + ((t + 1) * B + b) * Kp;
        out.set(m.subarray(row, row + U), (b * T + t) * U);
      }
    }
    return out;
  }

  /** Gradients for dy (the shape forward returned) from the state of the last forward. */
  backward(dy: Float32Array, returnSequences: boolean): LstmGradients {
    const l = this.l!;
    const { B, T, F, U, Up, K, Kp } = l;
    const G = 4 * Up;
    const m = this.f32;
    const k = this.kernels;
    m.fill(0, l.dy, l.dy + T * B * Up);
    m.fill(0, l.dc, l.dc + B * Up);
    m.fill(0, l.dwr, l.dwr + Kp * G);
    if (returnSequences) {
      for (let t = 0; t < T; t++)
        for (let b = 0; b < B; b++) m.set(dy.subarray((b * T + t) * U, (b * T + t + 1) * U), l.dy + (t * B + b) * Up);
    } else {
      for (let b = 0; b < B; b++) m.set(dy.subarray(b * U, (b + 1) * U), l.dy + ((T - 1) * B + b) * Up);
    }
    for (let t = T - 1; t >= 0; t--) {
      const dz = l.dz + t * B * G;
      k.lstmBackwardCell({
        g: l.z + t * B * G,
        cPrev: t > 0 ? l.c + (t - 1) * B * Up : l.zero,
        cPrevStride: t > 0 ? Up : 0,
        tanhC: l.tc + t * B * Up,
        dc: l.dc,
        dy: l.dy + t * B * Up,
        dyStride: Up,
        dn: t < T - 1 ? l.dxh + (t + 1) * B * Kp : l.zero,
        dnStride: t < T - 1 ? Kp : 0,
        dz,
        batch: B,
        units: Up,
      });
      // dWR += XH_tᵀ·dz_t while dz_t is in cache (one GEMM over all T·B rows at the end streamed DZ
      // from L2/L3 for every column block): all of [R; W; b], or only R when the input is repeated.
      k.gemmTransposeAAccumulate({ a: l.xh + t * B * Kp, b: dz, c: l.dwr, m: this.repeated ? Up : K, n: G, k: B, lda: Kp });
      // dXH_t = dz_t·WRᵀ: dh_{t−1} (and dx_t unless the input is repeated, whose dx comes from Σ_t dz_t).
      if (!this.repeated) k.gemm({ a: dz, b: l.wrt, c: l.dxh + t * B * Kp, m: B, n: Kp, k: G });
      else if (t > 0) k.gemm({ a: dz, b: l.wrt, c: l.dxh + t * B * Kp, m: B, n: Up, k: G, ldb: Kp, ldc: Kp });
    }
    const F4 = Math.ceil(F / 4) * 4;
    if (this.repeated) {
      // Σ_t dz_t (ones[1, T]·DZ[T, B·G]); [dW; db] = [x 1]ᵀ·Σ dz; dx = Σ dz·Wᵀ.
      m.fill(1, l.ones, l.ones + T);
      k.gemm({ a: l.ones, b: l.dz, c: l.sdz, m: 1, n: B * G, k: T });
      k.gemmTransposeA({ a: l.xp, b: l.sdz, c: l.dwr + Up * G, m: F + 1, n: G, k: B });
      k.gemm({ a: l.sdz, b: l.wrt + Up, c: l.dxr, m: B, n: F4, k: G, ldb: Kp });
    }
    const dW = new Float32Array(F * 4 * U);
    const dR = new Float32Array(U * 4 * U);
    const db = new Float32Array(4 * U);
    for (let q = 0; q < 4; q++) {
      for (let u = 0; u < U; u++) {
        const col = l.dwr + q * Up + u;
        const dst = q * U + u;
        for (let r = 0; r < U; r++) dR[r * 4 * U + dst] = m[col + r * G]!;
        for (let r = 0; r < F; r++) dW[r * 4 * U + dst] = m[col + (Up + r) * G]!;
        db[dst] = m[col + (Up + F) * G]!;
      }
    }
    if (this.repeated) {
      const dx = new Float32Array(B * F);
      for (let b = 0; b < B; b++) dx.set(m.subarray(l.dxr + b * F4, l.dxr + b * F4 + F), b * F);
      return { dx, dW, dR, db };
    }
    const dx = new Float32Array(B * T * F);
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const row = l.dxh + (t * B + b) * Kp + Up;
        dx.set(m.subarray(row, row + F), (b * T + t) * F);
      }
    }
    return { dx, dW, dR, db };
  }
}
