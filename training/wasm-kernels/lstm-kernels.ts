import { assembleModule, FunctionBuilder, SIMD, wasmApi, type WasmMemory, type WasmModule } from './wasm-assembler';

/**
 * WebAssembly SIMD kernels for the fused LSTM (built from JS at runtime by wasm-assembler, one 4-lane
 * f32 vector per instruction). All pointers and strides are in bytes; matrices are row-major.
 * - gemm(a, b, c, M, N, K, lda, ldb, ldc): C[M,N] = A[M,K]·B[K,N], N a multiple of 4. Register-blocked
 *   4 rows × 8 columns (8 accumulators), with 1-row and 4-column tails.
 * - gemmTransposeA(...): the same with C[M,N] = Aᵀ·B for A stored [K, M] (row stride lda).
 * - gemmAccumulate(...): C[M,N] += A[M,K]·B[K,N]; gemmTransposeAAccumulate(...): C += Aᵀ·B.
 * - lstmForwardCell(z, cPrev, cPrevStride, c, tanhC, h, hStride, B, U): one time step after z = [h x 1]·WR.
 *   z [B, 4U] (gate blocks i, f, g, o) is overwritten by the activated gates; writes c, tanh(c) [B, U]
 *   and h = o·tanh(c) to rows of hStride bytes. U a multiple of 4.
 * - lstmBackwardCell(g, cPrev, cPrevStride, tanhC, dc, dy, dyStride, dn, dnStride, dz, B, U): one step
 *   of BPTT: dh = dy + dn (the gradient from the step after), dc updated in place, dz [B, 4U] written.
 * Stride 0 with a zero row stands for "no previous cell" / "no incoming gradient".
 * sigmoid and tanh use exp with Cephes' expf polynomial (relative error ~1e-7).
 */
const EXP_POLY = [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1];

/** out = exp(local x) for one f32x4 (x clamped to ±87); uses temps n, r, p. */
function emitExp(f: FunctionBuilder, x: number, out: number, t: { n: number; r: number; p: number }): void {
  f.get(x).vConst(87).simd(SIMD.f32x4Pmin).vConst(-87).simd(SIMD.f32x4Pmax).set(x);
  f.get(x).vConst(Math.LOG2E).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Nearest).set(t.n);
  f.get(x).get(t.n).vConst(0.693359375).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Sub);
  f.get(t.n).vConst(-2.12194440e-4).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Sub).set(t.r);
  f.vConst(EXP_POLY[0]!).set(t.p);
  for (const c of EXP_POLY.slice(1)) f.get(t.p).get(t.r).simd(SIMD.f32x4Mul).vConst(c).simd(SIMD.f32x4Add).set(t.p);
  // p·r² + r + 1, then scale by 2ⁿ by adding n to the exponent bits.
  f.get(t.p).get(t.r).simd(SIMD.f32x4Mul).get(t.r).simd(SIMD.f32x4Mul).get(t.r).simd(SIMD.f32x4Add).vConst(1).simd(SIMD.f32x4Add);
  f.get(t.n).simd(SIMD.i32x4TruncSatF32x4S).i32(23).simd(SIMD.i32x4Shl).simd(SIMD.i32x4Add).set(out);
}

type Temps = { n: number; r: number; p: number; e: number };

/** out = 1 / (1 + exp(−x)). */
function emitSigmoid(f: FunctionBuilder, x: number, out: number, t: Temps): void {
  f.get(x).simd(SIMD.f32x4Neg).set(t.e);
  emitExp(f, t.e, t.e, t);
  f.vConst(1).vConst(1).get(t.e).simd(SIMD.f32x4Add).simd(SIMD.f32x4Div).set(out);
}

/** out = tanh(x) = 2 / (1 + exp(−2x)) − 1. */
function emitTanh(f: FunctionBuilder, x: number, out: number, t: Temps): void {
  f.get(x).vConst(-2).simd(SIMD.f32x4Mul).set(t.e);
  emitExp(f, t.e, t.e, t);
  f.vConst(2).vConst(1).get(t.e).simd(SIMD.f32x4Add).simd(SIMD.f32x4Div).vConst(1).simd(SIMD.f32x4Sub).set(out);
}

/** transposeA: C = Aᵀ·B with A [K, M] (lda its row stride), for weight gradients without a transpose pass. */
function buildGemm(transposeA: boolean, accumulate = false): FunctionBuilder {
  const f = new FunctionBuilder(['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32']);
  const [pa, pb, pc, M, N, K, lda, ldb, ldc] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const i = f.local('i32');
  const j = f.local('i32');
  const k = f.local('i32');
  const limit = f.local('i32');
  const pbk = f.local('i32');
  const ptr = [0, 1, 2, 3].map(() => f.local('i32'));
  const acc = [0, 1, 2, 3].map(() => [f.local('v128'), f.local('v128')]);
  const bv = [f.local('v128'), f.local('v128')];
  const a = f.local('v128');
  const tmp = f.local('i32');
  const micro = (rows: number, vecs: number): void => {
    for (let r = 0; r < rows; r++) {
      if (transposeA) f.get(i).i32(r).add().i32(4).mul().get(pa).add().set(ptr[r]!);
      else f.get(i).i32(r).add().get(lda).mul().get(pa).add().set(ptr[r]!);
    }
    f.get(j).i32(4).mul().get(pb).add().set(pbk);
    for (let r = 0; r < rows; r++) {
      if (accumulate) {
        f.get(i).i32(r).add().get(ldc).mul().get(pc).add().get(j).i32(4).mul().add().set(tmp);
        for (let v = 0; v < vecs; v++) f.get(tmp).vLoad(16 * v).set(acc[r]![v]!);
      } else {
        for (let v = 0; v < vecs; v++) f.vConst(0).set(acc[r]![v]!);
      }
    }
    f.i32(0).set(k);
    f.whileLt(k, K, () => {
      for (let v = 0; v < vecs; v++) f.get(pbk).vLoad(16 * v).set(bv[v]!);
      for (let r = 0; r < rows; r++) {
        f.get(ptr[r]!).vSplatLoad().set(a);
        for (let v = 0; v < vecs; v++) f.get(acc[r]![v]!).get(a).get(bv[v]!).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Add).set(acc[r]![v]!);
        f.inc(ptr[r]!, transposeA ? { local: lda } : 4);
      }
      f.inc(pbk, { local: ldb }).inc(k, 1);
    });
    for (let r = 0; r < rows; r++) {
      f.get(i).i32(r).add().get(ldc).mul().get(pc).add().get(j).i32(4).mul().add().set(ptr[r]!);
      for (let v = 0; v < vecs; v++) f.get(ptr[r]!).get(acc[r]![v]!).vStore(16 * v);
    }
  };
  const columnBlock = (vecs: number): void => {
    f.i32(0).set(i);
    f.get(M).i32(-3).add().set(limit);
    f.whileLt(i, limit, () => {
      micro(4, vecs);
      f.inc(i, 4);
    });
    f.whileLt(i, M, () => {
      micro(1, vecs);
      f.inc(i, 1);
    });
    f.inc(j, 4 * vecs);
  };
  f.i32(0).set(j);
  const jLimit = f.local('i32');
  f.get(N).i32(-7).add().set(jLimit);
  f.whileLt(j, jLimit, () => columnBlock(2));
  f.whileLt(j, N, () => columnBlock(1));
  return f;
}

function buildForwardCell(): FunctionBuilder {
  const f = new FunctionBuilder(['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32']);
  const [pz, pcp, cpStride, pc, ptc, ph, hStride, B, U] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const b = f.local('i32');
  const o = f.local('i32');
  const uBytes = f.local('i32');
  const z = f.local('i32');
  const cp = f.local('i32');
  const crow = f.local('i32');
  const h = f.local('i32');
  const [gi, gf, gg, go, c, x] = [0, 1, 2, 3, 4, 5].map(() => f.local('v128'));
  const t: Temps = { n: f.local('v128'), r: f.local('v128'), p: f.local('v128'), e: f.local('v128') };
  f.get(U).i32(4).mul().set(uBytes);
  f.i32(0).set(b);
  f.whileLt(b, B, () => {
    f.get(b).get(uBytes).mul().i32(4).mul().get(pz).add().set(z);
    f.get(b).get(cpStride).mul().get(pcp).add().set(cp);
    f.get(b).get(uBytes).mul().set(crow);
    f.get(b).get(hStride).mul().get(ph).add().set(h);
    f.i32(0).set(o);
    f.whileLt(o, uBytes, () => {
      const gate = (q: number, out: number, act: typeof emitSigmoid): void => {
        f.get(z).get(o).add();
        for (let s = 0; s < q; s++) f.get(uBytes).add();
        f.vLoad().set(x);
        act(f, x, out, t);
        f.get(z).get(o).add();
        for (let s = 0; s < q; s++) f.get(uBytes).add();
        f.get(out).vStore();
      };
      gate(0, gi, emitSigmoid);
      gate(1, gf, emitSigmoid);
      gate(2, gg, emitTanh);
      gate(3, go, emitSigmoid);
      f.get(gf).get(cp).get(o).add().vLoad().simd(SIMD.f32x4Mul).get(gi).get(gg).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Add).set(c);
      f.get(pc).get(crow).add().get(o).add().get(c).vStore();
      emitTanh(f, c, x, t);
      f.get(ptc).get(crow).add().get(o).add().get(x).vStore();
      f.get(h).get(o).add().get(go).get(x).simd(SIMD.f32x4Mul).vStore();
      f.inc(o, 16);
    });
    f.inc(b, 1);
  });
  return f;
}

function buildBackwardCell(): FunctionBuilder {
  const f = new FunctionBuilder(['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32']);
  const [pg, pcp, cpStride, ptc, pdc, pdy, dyStride, pdn, dnStride, pdz, B, U] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const b = f.local('i32');
  const o = f.local('i32');
  const uBytes = f.local('i32');
  const g = f.local('i32');
  const cp = f.local('i32');
  const row = f.local('i32');
  const dy = f.local('i32');
  const dn = f.local('i32');
  const dz = f.local('i32');
  const [gi, gf, gg, go, tc, dh, dc] = [0, 1, 2, 3, 4, 5, 6].map(() => f.local('v128'));
  f.get(U).i32(4).mul().set(uBytes);
  f.i32(0).set(b);
  f.whileLt(b, B, () => {
    f.get(b).get(uBytes).mul().i32(4).mul().set(row);
    f.get(pg).get(row).add().set(g);
    f.get(pdz).get(row).add().set(dz);
    f.get(b).get(cpStride).mul().get(pcp).add().set(cp);
    f.get(b).get(dyStride).mul().get(pdy).add().set(dy);
    f.get(b).get(dnStride).mul().get(pdn).add().set(dn);
    f.get(b).get(uBytes).mul().set(row);
    f.i32(0).set(o);
    f.whileLt(o, uBytes, () => {
      const at = (base: number, q: number): void => {
        f.get(base).get(o).add();
        for (let s = 0; s < q; s++) f.get(uBytes).add();
      };
      [gi, gf, gg, go].forEach((v, q) => {
        at(g, q);
        f.vLoad().set(v);
      });
      f.get(ptc).get(row).add().get(o).add().vLoad().set(tc);
      f.get(dy).get(o).add().vLoad().get(dn).get(o).add().vLoad().simd(SIMD.f32x4Add).set(dh);
      // dc = dc_next + dh·o·(1 − tanh²c)
      f.get(pdc).get(row).add().get(o).add().vLoad();
      f.get(dh).get(go).simd(SIMD.f32x4Mul).vConst(1).get(tc).get(tc).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Sub).simd(SIMD.f32x4Mul);
      f.simd(SIMD.f32x4Add).set(dc);
      at(dz, 0);
      f.get(dc).get(gg).simd(SIMD.f32x4Mul).get(gi).simd(SIMD.f32x4Mul).vConst(1).get(gi).simd(SIMD.f32x4Sub).simd(SIMD.f32x4Mul).vStore();
      at(dz, 1);
      f.get(dc).get(cp).get(o).add().vLoad().simd(SIMD.f32x4Mul).get(gf).simd(SIMD.f32x4Mul).vConst(1).get(gf).simd(SIMD.f32x4Sub).simd(SIMD.f32x4Mul).vStore();
      at(dz, 2);
      f.get(dc).get(gi).simd(SIMD.f32x4Mul).vConst(1).get(gg).get(gg).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Sub).simd(SIMD.f32x4Mul).vStore();
      at(dz, 3);
      f.get(dh).get(tc).simd(SIMD.f32x4Mul).get(go).simd(SIMD.f32x4Mul).vConst(1).get(go).simd(SIMD.f32x4Sub).simd(SIMD.f32x4Mul).vStore();
      f.get(pdc).get(row).add().get(o).add().get(dc).get(gf).simd(SIMD.f32x4Mul).vStore();
      f.inc(o, 16);
    });
    f.inc(b, 1);
  });
  return f;
}

export interface LstmKernels {
  gemm(a: number, b: number, c: number, M: number, N: number, K: number, lda: number, ldb: number, ldc: number): void;
  gemmTransposeA(a: number, b: number, c: number, M: number, N: number, K: number, lda: number, ldb: number, ldc: number): void;
  gemmAccumulate(a: number, b: number, c: number, M: number, N: number, K: number, lda: number, ldb: number, ldc: number): void;
  gemmTransposeAAccumulate(a: number, b: number, c: number, M: number, N: number, K: number, lda: number, ldb: number, ldc: number): void;
  lstmForwardCell(z: number, cPrev: number, cPrevStride: number, c: number, tanhC: number, h: number, hStride: number, B: number, U: number): void;
  lstmBackwardCell(g: number, cPrev: number, cPrevStride: number, tanhC: number, dc: number, dy: number, dyStride: number, dn: number, dnStride: number, dz: number, B: number, U: number): void;
}

let compiled: WasmModule | null | undefined;

/** The compiled kernel module, or null where WebAssembly SIMD is unavailable. */
export function lstmKernelModule(): WasmModule | null {
  if (compiled === undefined) {
    const bytes = assembleModule([
      { name: 'gemm', fn: buildGemm(false) },
      { name: 'gemmTransposeA', fn: buildGemm(true) },
      { name: 'gemmAccumulate', fn: buildGemm(false, true) },
      { name: 'gemmTransposeAAccumulate', fn: buildGemm(true, true) },
      { name: 'lstmForwardCell', fn: buildForwardCell() },
      { name: 'lstmBackwardCell', fn: buildBackwardCell() },
    ]);
    compiled = wasmApi?.validate(bytes) ? new wasmApi.Module(bytes) : null;
  }
  return compiled ?? null;
}

/** An instance over its own memory (one per workspace, so workspaces never share buffers). */
export function instantiateLstmKernels(memory: WasmMemory): LstmKernels {
  const module = lstmKernelModule();
  if (!module || !wasmApi) throw new Error('WebAssembly SIMD is not available in this runtime');
  return new wasmApi.Instance(module, { env: { memory } }).exports as unknown as LstmKernels;
}
