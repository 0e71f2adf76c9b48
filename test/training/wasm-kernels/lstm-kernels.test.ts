import { instantiateLstmKernels, type LstmKernels } from '../../../training/wasm-kernels/lstm-kernels';
import { wasmApi } from '../../../training/wasm-kernels/wasm-assembler';

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
    k.gemm(A * 4, B * 4, C * 4, M, N, K, K * 4, N * 4, N * 4);
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
    k.gemmTransposeA(A * 4, B * 4, C * 4, M, N, K, M * 4, N * 4, N * 4);
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
    k.lstmForwardCell(Z * 4, CP * 4, U * 4, C * 4, TC * 4, H * 4, U * 4, B, U);
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
    k.lstmBackwardCell(G * 4, CP * 4, U * 4, TC * 4, DC * 4, DY * 4, U * 4, DN * 4, U * 4, DZ * 4, B, U);
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
    k.gemmAccumulate(A * 4, B * 4, C * 4, M, N, K, K * 4, N * 4, N * 4);
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = c0[i * N + j]!;
        for (let q = 0; q < K; q++) s += m[A + i * K + q]! * m[B + q * N + j]!;
        expect(m[C + i * N + j]).toBeCloseTo(s, 4);
      }
    }
  });
});
