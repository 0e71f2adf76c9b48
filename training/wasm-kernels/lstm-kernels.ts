import { instantiateKernelModule, kernelModule, type WasmMemory } from './wasm-runtime';
import { InternalError } from '../../core/errors';

/**
 * Typed wrappers over the WebAssembly SIMD kernels of src/gemm.wat and src/lstm-cells.wat, instantiated
 * over one memory. Every offset and stride here is in float32 elements of that memory (the wrappers turn
 * them into the byte addresses the kernels take); matrices are row-major.
 */

/** C[m,n] = op(A)·B (or C += op(A)·B) with A [m,k] (or stored [k,m] for the transposed-A kernels), B [k,n]. */
export interface GemmArgs {
  /** Element offsets of A, B and C. */
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly m: number;
  /** Columns of B and C; must be a multiple of 4. */
  readonly n: number;
  readonly k: number;
  /** Row strides in elements; defaults: A's stored row length (k, or m when A is transposed), n, n. */
  readonly lda?: number;
  readonly ldb?: number;
  readonly ldc?: number;
}

/** One forward time step: z [batch, 4·units] = [h x 1]·[R; W; b] in gate blocks i, f, g, o. */
export interface ForwardCellArgs {
  /** Pre-activations, overwritten by the activated gates. */
  readonly z: number;
  /** c of the step before, rows `cPrevStride` apart (stride 0 over a zero row: no previous cell). */
  readonly cPrev: number;
  readonly cPrevStride: number;
  /** Written: c and tanh(c) [batch, units]; h = o·tanh(c) in rows `hStride` apart. */
  readonly c: number;
  readonly tanhC: number;
  readonly h: number;
  readonly hStride: number;
  readonly batch: number;
  /** A multiple of 4. */
  readonly units: number;
}

/** One backward time step (BPTT) over the gates `g` a forward step left. */
export interface BackwardCellArgs {
  readonly g: number;
  readonly cPrev: number;
  readonly cPrevStride: number;
  readonly tanhC: number;
  /** dc [batch, units], in: the gradient from the step after; out: the gradient for the step before. */
  readonly dc: number;
  /** dh = dy + dn: the output gradient and the one from the step after (stride 0 over a zero row: none). */
  readonly dy: number;
  readonly dyStride: number;
  readonly dn: number;
  readonly dnStride: number;
  /** Written: the gate pre-activation gradients [batch, 4·units]. */
  readonly dz: number;
  readonly batch: number;
  readonly units: number;
}

export interface LstmKernels {
  /** C = A·B. */
  gemm(args: GemmArgs): void;
  /** C += A·B. */
  gemmAccumulate(args: GemmArgs): void;
  /** C = Aᵀ·B for A stored [k, m]. */
  gemmTransposeA(args: GemmArgs): void;
  /** C += Aᵀ·B for A stored [k, m]. */
  gemmTransposeAAccumulate(args: GemmArgs): void;
  lstmForwardCell(args: ForwardCellArgs): void;
  lstmBackwardCell(args: BackwardCellArgs): void;
}

type Raw = (...bytes: number[]) => void;

function whole(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0) throw new InternalError(`wasm kernel: ${name} must be a non-negative integer, got ${v}`);
  return v;
}

function gemmCall(raw: Raw, name: string, transposeA: boolean): (args: GemmArgs) => void {
  return ({ a, b, c, m, n, k, lda = transposeA ? m : k, ldb = n, ldc = n }) => {
    if (n % 4 !== 0) throw new InternalError(`${name}: n must be a multiple of 4, got ${n}`);
    if (lda < (transposeA ? m : k) || ldb < n || ldc < n) {
      throw new InternalError(`${name}: row strides (lda ${lda}, ldb ${ldb}, ldc ${ldc}) shorter than the rows (m ${m}, n ${n}, k ${k})`);
    }
    whole(`${name} a`, a);
    whole(`${name} b`, b);
    whole(`${name} c`, c);
    raw(a * 4, b * 4, c * 4, whole('m', m), n, whole('k', k), lda * 4, ldb * 4, ldc * 4);
  };
}

function units(name: string, u: number): number {
  if (u % 4 !== 0) throw new InternalError(`${name}: units must be a multiple of 4, got ${u}`);
  return whole('units', u);
}

/** Whether this runtime can run the kernels (WebAssembly with 128-bit SIMD). */
export function lstmKernelsAvailable(): boolean {
  return kernelModule('gemm') !== null && kernelModule('lstm-cells') !== null;
}

/** The kernels over `memory` (a workspace's own memory, or the WASM backend's heap). */
export function instantiateLstmKernels(memory: WasmMemory): LstmKernels {
  const g = instantiateKernelModule('gemm', memory) as Record<keyof LstmKernels, Raw>;
  const cells = instantiateKernelModule('lstm-cells', memory) as Record<keyof LstmKernels, Raw>;
  const forward = cells.lstmForwardCell;
  const backward = cells.lstmBackwardCell;
  return {
    gemm: gemmCall(g.gemm, 'gemm', false),
    gemmAccumulate: gemmCall(g.gemmAccumulate, 'gemmAccumulate', false),
    gemmTransposeA: gemmCall(g.gemmTransposeA, 'gemmTransposeA', true),
    gemmTransposeAAccumulate: gemmCall(g.gemmTransposeAAccumulate, 'gemmTransposeAAccumulate', true),
    lstmForwardCell: (x) => {
      forward(x.z * 4, x.cPrev * 4, x.cPrevStride * 4, x.c * 4, x.tanhC * 4, x.h * 4, x.hStride * 4, whole('batch', x.batch),
        units('lstmForwardCell', x.units));
    },
    lstmBackwardCell: (x) => {
      backward(x.g * 4, x.cPrev * 4, x.cPrevStride * 4, x.tanhC * 4, x.dc * 4, x.dy * 4, x.dyStride * 4, x.dn * 4, x.dnStride * 4,
        x.dz * 4, whole('batch', x.batch), units('lstmBackwardCell', x.units));
    },
  };
}
