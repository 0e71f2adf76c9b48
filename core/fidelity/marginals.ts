/**
 * Per-column distances between two samples of one variable (NaN values are left out).
 * ks: the two-sample Kolmogorov–Smirnov statistic sup |F_a − F_b| (0 = same, 1 = disjoint).
 * wasserstein: W₁ = ∫ |F_a⁻¹(u) − F_b⁻¹(u)| du in the column's units, exact for empirical CDFs.
 */
export function sorted(values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) out.push(values[i]!);
  return Float64Array.from(out).sort();
}

export function ksStatistic(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return ksStatisticSorted(sorted(a), sorted(b));
}

/** ksStatistic of two samples already sorted ascending without NaN (`sorted`). */
export function ksStatisticSorted(x: Float64Array, y: Float64Array): number {
  if (x.length === 0 || y.length === 0) return NaN;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i]! <= v) i++;
    while (j < y.length && y[j]! <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

export function wasserstein1(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return wasserstein1Sorted(sorted(a), sorted(b));
}

/** wasserstein1 of two samples already sorted ascending without NaN (`sorted`): a fixed sample sorted once, compared often. */
export function wasserstein1Sorted(x: Float64Array, y: Float64Array): number {
  if (x.length === 0 || y.length === 0) return NaN;
  // walk the merged quantile levels k/n and l/m; between two levels both inverse CDFs are constant
  let i = 0;
  let j = 0;
  let u = 0;
  let w = 0;
  while (i < x.length && j < y.length) {
    const next = Math.min((i + 1) / x.length, (j + 1) / y.length);
    w += (next - u) * Math.abs(x[i]! - y[j]!);
    u = next;
    if ((i + 1) / x.length <= next + 1e-15) i++;
    if ((j + 1) / y.length <= next + 1e-15) j++;
  }
  return w;
}

/** Standard deviation of the non-NaN values (population). */
export function stdOf(values: ArrayLike<number>): number {
  let n = 0;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    n++;
    s += v;
    s2 += v * v;
  }
  return n ? Math.sqrt(Math.max(0, s2 / n - (s / n) ** 2)) : NaN;
}

/** Column j of a row-major table [n × f]. */
export function columnOf(values: ArrayLike<number>, f: number, j: number): Float64Array {
  const n = Math.floor(values.length / f);
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) out[r] = values[r * f + j]!;
  return out;
}

/** W₁(real, synthetic) of one column, raw and divided by the real column's standard deviation (a constant column keeps its raw W₁). */
export function columnWasserstein(real: ArrayLike<number>, synthetic: ArrayLike<number>): { w: number; normalized: number } {
  const w = wasserstein1(real, synthetic);
  const sd = stdOf(real);
  return { w, normalized: sd > 0 ? w / sd : w };
}

/** KS and columnWasserstein's W₁ (raw, normalized) of two columns sorted once (`sorted`): fidelity's per-column figures. */
export function columnDistances(real: Float64Array, synthetic: Float64Array): { ks: number; w: number; normalized: number } {
  const w = wasserstein1Sorted(real, synthetic);
  const sd = stdOf(real);
  return { ks: ksStatisticSorted(real, synthetic), w, normalized: sd > 0 ? w / sd : w };
}

/** Mean over columns of columnWasserstein's normalized W₁: the gan's early-stopping criterion and fidelity's `wasserstein_mean`. */
export function meanNormalizedWasserstein(real: ArrayLike<number>, synthetic: ArrayLike<number>, f: number): number {
  let sum = 0;
  for (let j = 0; j < f; j++) sum += columnWasserstein(columnOf(real, f, j), columnOf(synthetic, f, j)).normalized;
  return sum / f;
}
