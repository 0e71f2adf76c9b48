import type { ScalerParams } from '../../../core/scaler';
import { symmetricEigen } from '../../linalg';

/**
 * The Gaussian member of the auto imputer (an iterative imputer in closed form, MICE-like but deterministic):
 * a mean μ and a ridge-regularised precision P = (Σ + ridge·diag Σ)⁻¹ fitted on the scaled rows, missing
 * cells filled by their conditional mean given the row's observed cells, E[x_m | x_o] = μ_m − P_mm⁻¹ P_mo
 * (x_o − μ_o), refitted OUTER times on the filled rows. The conditional mean is found by `steps` steps of
 * Jacobi-preconditioned conjugate gradients on P_mm e = −P_mo d, the same steps the ONNX graph takes.
 */
export interface GaussianFill {
  features: number;
  mean: Float64Array;
  /** D^{-1/2} P D^{-1/2}, D = diag P (unit diagonal), row-major [F × F]. */
  pn: Float64Array;
  /** D^{-1/2}: 1 / sqrt(P_jj). Also the conditional sd of column j given every other column. */
  invSqrtDiag: Float64Array;
  ridge: number;
  /** CG steps the fills take (here and in the graph): the fewest that reproduce cgSteps(F) steps' fills (chooseSteps) */
  steps: number;
}

export const OUTER_ITERATIONS = 5;
export const DEFAULT_RIDGE = 0.03;

export function cgSteps(features: number): number {
  return Math.min(features, 24);
}

/** Step counts tried (below cgSteps(F)); the first whose fills are within STEPS_TOLERANCE of cgSteps(F)'s is kept. */
export const STEP_CHOICES = [4, 6, 8, 10, 12, 16, 20] as const;
/** Largest difference allowed, scaled units (about sd units), between a shorter CG's fill and the full one's, on any cell. */
export const STEPS_TOLERANCE = 1e-3;
/** Rows the step count is checked on (the first ones of the fitted rows). */
export const STEPS_ROWS = 2000;

/**
 * The fewest CG steps (STEP_CHOICES, else cgSteps(F)) whose conditional means of the missing cells of up to
 * STEPS_ROWS of the fitted rows all lie within STEPS_TOLERANCE of the cgSteps(F)-step ones. The graph runs that many
 * steps per row, so a well-conditioned fit scores in fewer.
 */
function chooseSteps(g: GaussianFill, x: Float32Array, mask: Float32Array): number {
  const f = g.features;
  const full = cgSteps(f);
  const n = Math.min(x.length / f, STEPS_ROWS);
  const xs = x.subarray(0, n * f);
  const ms = mask.subarray(0, n * f);
  const want = conditionalMean(g, xs, ms, full);
  for (const s of STEP_CHOICES) {
    if (s >= full) break;
    const got = conditionalMean(g, xs, ms, s);
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    if (worst <= STEPS_TOLERANCE) return s;
  }
  return full;
}

/** Fits on scaled rows x (0 where missing) with mask; rows ≥ 2. */
export function fitGaussian(x: Float32Array, mask: Float32Array, f: number, ridge = DEFAULT_RIDGE): GaussianFill {
  const n = x.length / f;
  const filled = new Float64Array(x.length);
  const mean = new Float64Array(f);
  const count = new Float64Array(f);
  for (let i = 0; i < x.length; i++) {
    if (mask[i]! > 0.5) {
      mean[i % f] += x[i]!;
      count[i % f]++;
    }
  }
  for (let j = 0; j < f; j++) mean[j] = count[j] ? mean[j]! / count[j]! : 0;
  for (let i = 0; i < x.length; i++) filled[i] = mask[i]! > 0.5 ? x[i]! : mean[i % f]!;
  let model = precisionOf(filled, n, f, ridge);
  for (let it = 1; it < OUTER_ITERATIONS; it++) {
    const est = conditionalMean(model, x, mask);
    for (let i = 0; i < x.length; i++) if (mask[i]! <= 0.5) filled[i] = est[i]!;
    model = precisionOf(filled, n, f, ridge);
  }
  return { ...model, steps: chooseSteps(model, x, mask) };
}

function precisionOf(filled: Float64Array, n: number, f: number, ridge: number): GaussianFill {
  const mean = new Float64Array(f);
  for (let i = 0; i < filled.length; i++) mean[i % f] += filled[i]! / n;
  const cov = new Float64Array(f * f);
  const d = new Float64Array(f);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < f; j++) d[j] = filled[r * f + j]! - mean[j]!;
    for (let a = 0; a < f; a++) {
      const da = d[a]!;
      if (da === 0) continue;
      for (let b = a; b < f; b++) cov[a * f + b] += da * d[b]!;
    }
  }
  for (let a = 0; a < f; a++) {
    for (let b = a; b < f; b++) {
      cov[a * f + b] /= n;
      cov[b * f + a] = cov[a * f + b]!;
    }
  }
  for (let a = 0; a < f; a++) cov[a * f + a] = cov[a * f + a]! * (1 + ridge) + 1e-6;
  const { values, vectors } = symmetricEigen(cov, f);
  const p = new Float64Array(f * f);
  for (let a = 0; a < f; a++) {
    for (let b = a; b < f; b++) {
      let s = 0;
      for (let k = 0; k < f; k++) s += (vectors[a * f + k]! * vectors[b * f + k]!) / Math.max(values[k]!, 1e-12);
      p[a * f + b] = s;
      p[b * f + a] = s;
    }
  }
  const invSqrtDiag = Float64Array.from({ length: f }, (_, j) => 1 / Math.sqrt(p[j * f + j]!));
  const pn = new Float64Array(f * f);
  for (let a = 0; a < f; a++) for (let b = 0; b < f; b++) pn[a * f + b] = p[a * f + b]! * invSqrtDiag[a]! * invSqrtDiag[b]!;
  return { features: f, mean, pn, invSqrtDiag, ridge, steps: cgSteps(f) };
}

/**
 * Conditional means of every cell (observed cells keep their value) for scaled rows x with mask, by CG in
 * the preconditioned variables: ẽ = D^{1/2} e, Pn_mm ẽ = b̃, b̃ = −(Pn (D^{1/2} d))_m, d = (x − μ) on observed cells.
 */
export function conditionalMean(g: GaussianFill, x: Float32Array, mask: Float32Array, steps = g.steps): Float64Array {
  const f = g.features;
  const n = x.length / f;
  const pn = g.pn;
  const out = new Float64Array(x.length);
  const dn = new Float64Array(f);
  // the missing columns of a row: CG works on them alone (the vectors are 0 on the observed ones), m² a step
  const miss = new Int32Array(f);
  const e = new Float64Array(f);
  const r = new Float64Array(f);
  const p = new Float64Array(f);
  const ap = new Float64Array(f);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < f; j++) {
      const obs = mask[i * f + j]! > 0.5;
      if (!obs) miss[m++] = j;
      dn[j] = obs ? (x[i * f + j]! - g.mean[j]!) / g.invSqrtDiag[j]! : 0;
      out[i * f + j] = x[i * f + j]!;
    }
    if (m === 0) continue;
    let rr = 0;
    for (let t = 0; t < m; t++) {
      const b = miss[t]!;
      let s = 0;
      for (let a = 0; a < f; a++) s += dn[a]! * pn[a * f + b]!;
      r[t] = -s;
      p[t] = -s;
      e[t] = 0;
      rr += s * s;
    }
    for (let step = 0; step < steps && rr > 1e-30; step++) {
      let pap = 0;
      for (let t = 0; t < m; t++) {
        const row = miss[t]! * f;
        let s = 0;
        for (let q = 0; q < m; q++) s += p[q]! * pn[row + miss[q]!]!;
        ap[t] = s;
        pap += p[t]! * s;
      }
      const alpha = rr / Math.max(pap, 1e-30);
      let rr2 = 0;
      for (let t = 0; t < m; t++) {
        e[t] += alpha * p[t]!;
        r[t] -= alpha * ap[t]!;
        rr2 += r[t]! * r[t]!;
      }
      const beta = rr2 / Math.max(rr, 1e-30);
      for (let t = 0; t < m; t++) p[t] = r[t]! + beta * p[t]!;
      rr = rr2;
    }
    for (let t = 0; t < m; t++) {
      const j = miss[t]!;
      out[i * f + j] = g.mean[j]! + e[t]! * g.invSqrtDiag[j]!;
    }
  }
  return out;
}

/**
 * The same Gaussian in another per-column affine scaling of the data (x_to = (x_from · s_from + o_from − o_to) / s_to):
 * the mean and conditional sds move with the scaling, the normalised precision does not (the ridge is relative to
 * the diagonal, so the fit is scale-equivariant up to its 1e-6 jitter).
 */
export function rescaleGaussian(g: GaussianFill, from: ScalerParams, to: ScalerParams): GaussianFill {
  const a = Float64Array.from({ length: g.features }, (_, j) => from.scale[j]! / to.scale[j]!);
  return {
    ...g,
    mean: g.mean.map((m, j) => a[j]! * m + (from.offset[j]! - to.offset[j]!) / to.scale[j]!),
    invSqrtDiag: g.invSqrtDiag.map((v, j) => a[j]! * v),
  };
}
