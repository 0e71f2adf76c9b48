import { symmetricEigen } from '../../linalg';

/**
 * The Gaussian member of the auto imputer (an iterative imputer in closed form, MICE-like but deterministic):
 * a mean μ and a ridge-regularised precision P = (Σ + ridge·diag Σ)⁻¹ fitted on the scaled rows, missing
 * cells filled by their conditional mean given the row's observed cells, E[x_m | x_o] = μ_m − P_mm⁻¹ P_mo
 * (x_o − μ_o), refitted OUTER times on the filled rows. The conditional mean is found by CG_STEPS steps of
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
}

export const OUTER_ITERATIONS = 5;
export const DEFAULT_RIDGE = 0.03;

export function cgSteps(features: number): number {
  return Math.min(features, 24);
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
  return model;
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
  return { features: f, mean, pn, invSqrtDiag, ridge };
}

/**
 * Conditional means of every cell (observed cells keep their value) for scaled rows x with mask, by CG in
 * the preconditioned variables: ẽ = D^{1/2} e, Pn_mm ẽ = b̃, b̃ = −(Pn (D^{1/2} d))_m, d = (x − μ) on observed cells.
 */
export function conditionalMean(g: GaussianFill, x: Float32Array, mask: Float32Array): Float64Array {
  const f = g.features;
  const n = x.length / f;
  const steps = cgSteps(f);
  const out = new Float64Array(x.length);
  const dn = new Float64Array(f);
  const u = new Float64Array(f);
  const e = new Float64Array(f);
  const r = new Float64Array(f);
  const p = new Float64Array(f);
  const ap = new Float64Array(f);
  const mul = (v: Float64Array, into: Float64Array): void => {
    for (let b = 0; b < f; b++) {
      if (!u[b]) { into[b] = 0; continue; }
      let s = 0;
      for (let a = 0; a < f; a++) s += v[a]! * g.pn[a * f + b]!;
      into[b] = s;
    }
  };
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < f; j++) {
      const obs = mask[i * f + j]! > 0.5;
      u[j] = obs ? 0 : 1;
      dn[j] = obs ? (x[i * f + j]! - g.mean[j]!) / g.invSqrtDiag[j]! : 0;
    }
    mul(dn, r);
    let rr = 0;
    for (let j = 0; j < f; j++) {
      r[j] = -r[j]!;
      p[j] = r[j]!;
      e[j] = 0;
      rr += r[j]! * r[j]!;
    }
    for (let s = 0; s < steps; s++) {
      mul(p, ap);
      let pap = 0;
      for (let j = 0; j < f; j++) pap += p[j]! * ap[j]!;
      const alpha = rr / Math.max(pap, 1e-30);
      let rr2 = 0;
      for (let j = 0; j < f; j++) {
        e[j] += alpha * p[j]!;
        r[j] -= alpha * ap[j]!;
        rr2 += r[j]! * r[j]!;
      }
      const beta = rr2 / Math.max(rr, 1e-30);
      for (let j = 0; j < f; j++) p[j] = r[j]! + beta * p[j]!;
      rr = rr2;
    }
    for (let j = 0; j < f; j++) {
      out[i * f + j] = u[j] ? g.mean[j]! + e[j]! * g.invSqrtDiag[j]! : x[i * f + j]!;
    }
  }
  return out;
}
