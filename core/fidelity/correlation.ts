import { columnOf } from './marginals';

/** Pearson correlation matrix [f × f] of a row-major table (NaN where a column is constant). */
export function correlationMatrix(values: ArrayLike<number>, f: number): Float64Array {
  const cols = Array.from({ length: f }, (_, j) => {
    const c = columnOf(values, f, j);
    let m = 0;
    for (const v of c) m += v;
    m /= c.length || 1;
    let ss = 0;
    for (let i = 0; i < c.length; i++) {
      c[i] = c[i]! - m;
      ss += c[i]! * c[i]!;
    }
    return { c, norm: Math.sqrt(ss) };
  });
  const out = new Float64Array(f * f);
  for (let a = 0; a < f; a++) {
    for (let b = a; b < f; b++) {
      const ca = cols[a]!;
      const cb = cols[b]!;
      let s = 0;
      for (let i = 0; i < ca.c.length; i++) s += ca.c[i]! * cb.c[i]!;
      const r = ca.norm > 0 && cb.norm > 0 ? s / (ca.norm * cb.norm) : NaN;
      out[a * f + b] = r;
      out[b * f + a] = r;
    }
  }
  return out;
}

/**
 * How far apart two tables' correlation structures are: mean and max |ρ_real − ρ_synth| over column pairs
 * (a pair with a constant column on either side counts a difference of 1 if only one side is constant).
 */
export function correlationDistance(
  real: ArrayLike<number>,
  synthetic: ArrayLike<number>,
  f: number,
): { mean_abs: number; max_abs: number } {
  const a = correlationMatrix(real, f);
  const b = correlationMatrix(synthetic, f);
  let sum = 0;
  let max = 0;
  let pairs = 0;
  for (let i = 0; i < f; i++) {
    for (let j = i + 1; j < f; j++) {
      const x = a[i * f + j]!;
      const y = b[i * f + j]!;
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      const d = Number.isNaN(x) || Number.isNaN(y) ? 1 : Math.abs(x - y);
      sum += d;
      max = Math.max(max, d);
      pairs++;
    }
  }
  return { mean_abs: pairs ? sum / pairs : 0, max_abs: max };
}
