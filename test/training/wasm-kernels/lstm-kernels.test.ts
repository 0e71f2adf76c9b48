import { instantiateLstmKernels, type LstmKernels } from '../../../training/wasm-kernels/lstm-kernels';
import { wasmApi } from '../../../training/wasm-kernels/wasm-runtime';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function setup(): { k: LstmKernels; m: Float32Array } {
  const memory = new wasmApi!.Memory({ initial: 64 });
  return { k: instantiateLstmKernels(memory), m: new Float32Array(memory.buffer) };
}

function fill(m: Float32Array, at: number, n: number, seed: number): void {
  for (let i = 0; i < n; i++) m[at + i] = Math.sin(seed + i * 0.731) * 1.5;
}

describe('lstm-kernels gemm', () => {
  // Shapes that hit the 4×8 block, the 1-row tail and the 4-column tail.
  it.each([[4, 8, 1], [7, 12, 5], [1, 4, 9], [13, 40, 37]])('computes A·B for M=%i N=%i K=%i', (M, N, K) => {
    const { k, m } = setup();
    const [A, B, C] = [0, 4096, 8192];
    fill(m, A, M * K, 1);
    fill(m, B, K * N, 2);
    k.gemm({ a: A, b: B, c: C, m: M, n: N, k: K });
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let q = 0; q < K; q++) s += m[A + i * K + q]! * m[B + q * N + j]!;
        expect(m[C + i * N + j]).toBeCloseTo(s, 4);
      }
    }
  });

  it('computes Aᵀ·B for A stored [K, M] (gemmTransposeA)', () => {
    const { k, m } = setup();
    const [M, N, K] = [9, 12, 30];
    const [A, B, C] = [0, 4096, 8192];
    fill(m, A, K * M, 3);
    fill(m, B, K * N, 4);
    k.gemmTransposeA({ a: A, b: B, c: C, m: M, n: N, k: K });
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let q = 0; q < K; q++) s += m[A + q * M + i]! * m[B + q * N + j]!;
        expect(m[C + i * N + j]).toBeCloseTo(s, 4);
      }
    }
  });
});

describe('lstm-kernels cells', () => {
  const [B, U] = [3, 8];
  const [Z, CP, C, TC, H] = [0, 1024, 2048, 3072, 4096];

  it('forward cell activates gates and updates c and h (sigmoid/tanh within 1e-6, large inputs saturate)', () => {
    const { k, m } = setup();
    fill(m, Z, B * 4 * U, 5);
    m[Z] = 120;
    m[Z + 1] = -120;
    fill(m, CP, B * U, 6);
    const z = m.slice(Z, Z + B * 4 * U);
    k.lstmForwardCell({ z: Z, cPrev: CP, cPrevStride: U, c: C, tanhC: TC, h: H, hStride: U, batch: B, units: U });
    for (let b = 0; b < B; b++) {
      for (let u = 0; u < U; u++) {
        const g = (q: number): number => z[b * 4 * U + q * U + u]!;
        const [i, f, gg, o] = [sigmoid(g(0)), sigmoid(g(1)), Math.tanh(g(2)), sigmoid(g(3))];
        const c = f * m[CP + b * U + u]! + i * gg;
        expect(Math.abs(m[Z + b * 4 * U + u]! - i)).toBeLessThan(1e-6);
        expect(Math.abs(m[Z + b * 4 * U + 2 * U + u]! - gg)).toBeLessThan(1e-6);
        expect(Math.abs(m[C + b * U + u]! - c)).toBeLessThan(1e-6);
        expect(Math.abs(m[H + b * U + u]! - o * Math.tanh(c))).toBeLessThan(1e-6);
      }
    }
  });

  it('backward cell writes the gate gradients of one BPTT step', () => {
    const { k, m } = setup();
    const [G, DC, DY, DN, DZ] = [0, 5120, 6144, 7168, 8192];
    for (let i = 0; i < B * 4 * U; i++) m[G + i] = 0.05 + 0.9 * Math.abs(Math.sin(i));
    for (let i = 0; i < B * U; i++) m[TC + i] = Math.cos(i) * 0.8;
    fill(m, CP, B * U, 7);
    fill(m, DC, B * U, 8);
    fill(m, DY, B * U, 9);
    fill(m, DN, B * U, 10);
    const dc0 = m.slice(DC, DC + B * U);
    k.lstmBackwardCell({
      g: G, cPrev: CP, cPrevStride: U, tanhC: TC, dc: DC, dy: DY, dyStride: U, dn: DN, dnStride: U, dz: DZ, batch: B, units: U,
    });
    for (let b = 0; b < B; b++) {
      for (let u = 0; u < U; u++) {
        const g = (q: number): number => m[G + b * 4 * U + q * U + u]!;
        const [i, f, gg, o] = [g(0), g(1), g(2), g(3)];
        const tc = m[TC + b * U + u]!;
        const dh = m[DY + b * U + u]! + m[DN + b * U + u]!;
        const dc = dc0[b * U + u]! + dh * o * (1 - tc * tc);
        const want = [dc * gg * i * (1 - i), dc * m[CP + b * U + u]! * f * (1 - f), dc * i * (1 - gg * gg), dh * tc * o * (1 - o)];
        want.forEach((w, q) => expect(m[DZ + b * 4 * U + q * U + u]).toBeCloseTo(w, 5));
        expect(m[DC + b * U + u]).toBeCloseTo(dc * f, 5);
      }
    }
  });
});

describe('lstm-kernels gemmAccumulate', () => {
  it('adds A·B to C', () => {
    const { k, m } = setup();
    const [M, N, K] = [6, 12, 5];
    const [A, B, C] = [0, 4096, 8192];
    fill(m, A, M * K, 11);
    fill(m, B, K * N, 12);
    fill(m, C, M * N, 13);
    const c0 = m.slice(C, C + M * N);
    k.gemmAccumulate({ a: A, b: B, c: C, m: M, n: N, k: K });
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = c0[i * N + j]!;
        for (let q = 0; q < K; q++) s += m[A + i * K + q]! * m[B + q * N + j]!;
        expect(m[C + i * N + j]).toBeCloseTo(s, 4);
      }
    }
  });
});

/** C[i, j] (+)= Σ_q A[q, i]·B[q, j] in plain JS (float64), A stored [K, M] with row stride lda. */
function transposeAReference(m: Float32Array, at: { a: number; b: number; c: number }, M: number, N: number, K: number,
  lda: number, ldb: number, ldc: number, accumulate: boolean): Float64Array {
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = accumulate ? m[at.c + i * ldc + j]! : 0;
      for (let q = 0; q < K; q++) s += m[at.a + q * lda + i]! * m[at.b + q * ldb + j]!;
      out[i * N + j] = s;
    }
  }
  return out;
}

describe('lstm-kernels gemmTransposeAAccumulate', () => {
  // Every tile: 4×8 blocks, the 1-row tail, the 4-column tail; strides wider than the rows, as the LSTM uses.
  const shapes = [[4, 8, 1], [7, 12, 5], [1, 4, 9], [13, 40, 37], [6, 20, 64]];
  it.each(shapes)('adds Aᵀ·B to C for M=%i N=%i K=%i (padded strides)', (M, N, K) => {
    const { k, m } = setup();
    const [lda, ldb, ldc] = [M + 3, N + 4, N + 8];
    const at = { a: 16, b: 16 + K * lda + 4, c: 16 + K * lda + 4 + K * ldb + 4 };
    fill(m, at.a, K * lda, 21);
    fill(m, at.b, K * ldb, 22);
    fill(m, at.c, M * ldc, 23);
    const before = m.slice();
    const want = transposeAReference(m, at, M, N, K, lda, ldb, ldc, true);
    k.gemmTransposeAAccumulate({ ...at, m: M, n: N, k: K, lda, ldb, ldc });
    let worst = 0;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        const w = want[i * N + j]!;
        worst = Math.max(worst, Math.abs(m[at.c + i * ldc + j]! - w) / (1 + Math.abs(w)));
      }
    }
    expect(worst).toBeLessThan(1e-5);
    // Nothing outside C's m×n cells changes (the padding columns of each C row included).
    for (let x = 0; x < before.length; x++) {
      const r = Math.floor((x - at.c) / ldc);
      const col = x - at.c - r * ldc;
      const inC = x >= at.c && r < M && col < N;
      if (!inC && m[x] !== before[x]) throw new Error(`gemmTransposeAAccumulate wrote element ${x} outside C`);
    }
  });

  it('accumulates: two calls add Aᵀ·B twice, and equal gemmTransposeA followed by the same product', () => {
    const { k, m } = setup();
    const [M, N, K] = [9, 16, 11];
    const at = { a: 0, b: 1024, c: 2048 };
    fill(m, at.a, K * M, 31);
    fill(m, at.b, K * N, 32);
    k.gemmTransposeA({ ...at, m: M, n: N, k: K });
    const once = m.slice(at.c, at.c + M * N);
    k.gemmTransposeAAccumulate({ ...at, m: M, n: N, k: K });
    for (let x = 0; x < M * N; x++) expect(m[at.c + x]).toBeCloseTo(2 * once[x]!, 4);
  });
});

describe('lstm-kernels argument checks', () => {
  it('refuses a column count that is not a multiple of 4 and strides shorter than the rows', () => {
    const { k } = setup();
    expect(() => k.gemm({ a: 0, b: 64, c: 128, m: 2, n: 6, k: 3 })).toThrow(/n must be a multiple of 4, got 6/);
    expect(() => k.gemmTransposeAAccumulate({ a: 0, b: 64, c: 128, m: 8, n: 4, k: 3, lda: 4 })).toThrow(/row strides/);
    expect(() => k.gemm({ a: 1.5, b: 64, c: 128, m: 2, n: 4, k: 3 })).toThrow(/gemm a must be a non-negative integer/);
    expect(() => k.lstmForwardCell({ z: 0, cPrev: 0, cPrevStride: 0, c: 0, tanhC: 0, h: 0, hStride: 0, batch: 1, units: 6 }))
      .toThrow(/units must be a multiple of 4/);
  });
});
