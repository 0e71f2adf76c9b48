/**
 * Maximum-likelihood fit of a generalized Pareto distribution to positive excesses Y, with Grimshaw's
 * (1993) reduction to one equation, as SPOT (Siffer et al. 2017) does: the MLE (γ, σ) satisfies
 * u(x)·v(x) = 1 with x = γ/σ, u(x) = mean(1/(1 + x·Y)), v(x) = 1 + mean(ln(1 + x·Y)); then γ = v(x) − 1,
 * σ = γ/x. Every root (found by a sign-change scan and bisection on both admissible intervals) and the
 * exponential case γ = 0 (σ = mean(Y)) are candidates; the one with the highest log-likelihood wins.
 */
export function fitGpd(excesses: readonly number[]): { gamma: number; sigma: number; logLikelihood: number } {
  const y = excesses;
  const n = y.length;
  let ymin = Infinity;
  let ymax = -Infinity;
  let ymean = 0;
  for (const v of y) {
    ymin = Math.min(ymin, v);
    ymax = Math.max(ymax, v);
    ymean += v;
  }
  ymean /= n;
  const w = (x: number): number => {
    let u = 0;
    let v = 0;
    for (const yi of y) {
      const s = 1 + x * yi;
      u += 1 / s;
      v += Math.log(s);
    }
    return (u / n) * (1 + v / n) - 1;
  };
  // Roots of w can sit anywhere in (−1/max(Y), 0) and (0, 2(ȳ − min Y)/min(Y)²] (Grimshaw's bounds);
  // both intervals are scanned on logarithmic grids so that tiny and huge roots are found alike.
  const candidates: Array<{ gamma: number; sigma: number }> = [{ gamma: 0, sigma: ymean }];
  const grids: number[][] = [];
  const neg: number[] = [];
  // Near x = 0, w(x) = O(x²) is rounding noise; γ ≈ 0 is covered by the exponential candidate.
  for (const t of logGrid(1e-4, 0.5, 100)) neg.push(-(1 - t) / ymax, -t / ymax);
  grids.push(neg.filter((x) => x < 0 && x > -1 / ymax).sort((p, q) => p - q));
  const upper = Math.max((2 * (ymean - ymin)) / Math.max(ymin * ymin, 1e-300), 1e3 / ymean);
  grids.push(logGrid(1e-4 / ymean, Math.min(upper, 1e12 / ymean), 300));
  for (const grid of grids) {
    for (const root of findRoots(w, grid)) {
      if (Math.abs(root) < 1e-12) continue;
      let v = 0;
      for (const yi of y) v += Math.log(1 + root * yi);
      const gamma = v / n;
      const sigma = gamma / root;
      if (sigma > 0 && Number.isFinite(sigma)) candidates.push({ gamma, sigma });
    }
  }
  let best = { gamma: 0, sigma: ymean, logLikelihood: -Infinity };
  for (const cand of candidates) {
    const ll = gpdLogLikelihood(y, cand.gamma, cand.sigma);
    if (ll > best.logLikelihood) best = { ...cand, logLikelihood: ll };
  }
  return best;
}

/** Log-likelihood of excesses under GPD(γ, σ). */
export function gpdLogLikelihood(y: readonly number[], gamma: number, sigma: number): number {
  const n = y.length;
  if (sigma <= 0) return -Infinity;
  if (Math.abs(gamma) < 1e-12) {
    let s = 0;
    for (const v of y) s += v;
    return -n * Math.log(sigma) - s / sigma;
  }
  let s = 0;
  for (const v of y) {
    const z = 1 + (gamma * v) / sigma;
    if (z <= 0) return -Infinity;
    s += Math.log(z);
  }
  return -n * Math.log(sigma) - (1 + 1 / gamma) * s;
}

function logGrid(lo: number, hi: number, steps: number): number[] {
  const out: number[] = [];
  const a = Math.log(lo);
  const b = Math.log(hi);
  for (let i = 0; i <= steps; i++) out.push(Math.exp(a + ((b - a) * i) / steps));
  return out;
}

function findRoots(f: (x: number) => number, grid: readonly number[]): number[] {
  const roots: number[] = [];
  if (grid.length < 2) return roots;
  let x0 = grid[0];
  let f0 = f(x0);
  for (let i = 1; i < grid.length; i++) {
    const x1 = grid[i];
    const f1 = f(x1);
    if (Number.isFinite(f0) && Number.isFinite(f1) && f0 * f1 <= 0) roots.push(bisect(f, x0, x1, f0));
    x0 = x1;
    f0 = f1;
  }
  return roots;
}

function bisect(f: (x: number) => number, a: number, b: number, fa: number): number {
  for (let i = 0; i < 60; i++) {
    const m = (a + b) / 2;
    const fm = f(m);
    if (fa * fm <= 0) b = m;
    else {
      a = m;
      fa = fm;
    }
  }
  return (a + b) / 2;
}
