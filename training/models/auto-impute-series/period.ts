/** Rows the autocorrelation is computed on (the first ones of the series). */
export const PERIOD_ROWS = 8192;
/** The longest period looked for, in rows. */
export const MAX_PERIOD = 2048;
/** Below this autocorrelation at its best lag a column has no period (the seasonal fill is then the linear one). */
export const MIN_ACF = 0.2;
/** A peak this close to the highest one counts as the period when it comes first. */
export const PEAK_SHARE = 0.9;

/**
 * The dominant period of one column in rows, 0 when none: over the first PERIOD_ROWS rows, their gaps filled by the
 * straight line between observed neighbours (rows, not times), the first local peak of the autocorrelation, after it
 * first drops below zero, within PEAK_SHARE of the highest one at lags 2 … min(MAX_PERIOD, n / 3); that highest
 * autocorrelation must reach MIN_ACF.
 */
export function dominantPeriod(column: Float64Array): number {
  const n = Math.min(column.length, PERIOD_ROWS);
  const y = linearFilled(column.subarray(0, n));
  if (!y) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i]!;
  mean /= n;
  let var0 = 0;
  for (let i = 0; i < n; i++) {
    y[i] = y[i]! - mean;
    var0 += y[i]! * y[i]!;
  }
  if (!(var0 > 0)) return 0;
  const maxLag = Math.min(MAX_PERIOD, Math.floor(n / 3));
  // the biased autocorrelation (Σ over the overlap / Σ over all rows): it decays with the lag, so a multiple of the
  // period does not win over the period itself by noise
  const acf = new Float64Array(maxLag + 2);
  for (let lag = 1; lag <= maxLag + 1 && lag < n; lag++) {
    let s = 0;
    for (let i = lag; i < n; i++) s += y[i]! * y[i - lag]!;
    acf[lag] = s / var0;
  }
  let from = 1;
  while (from <= maxLag && acf[from]! >= 0) from++;
  let top = -Infinity;
  for (let lag = Math.max(2, from); lag <= maxLag; lag++) top = Math.max(top, acf[lag]!);
  if (!(top >= MIN_ACF)) return 0;
  // the first local peak within PEAK_SHARE of the highest: the fundamental, not one of its multiples
  let best = 0;
  for (let lag = Math.max(2, from); lag <= maxLag && best === 0; lag++) {
    if (acf[lag]! >= PEAK_SHARE * top && acf[lag]! >= acf[lag - 1]! && acf[lag]! >= acf[lag + 1]!) best = lag;
  }
  return best;
}

/** The column with its NaN gaps linearly filled by row (edges: the nearest observed value); null when nothing is observed. */
export function linearFilled(column: ArrayLike<number>): Float64Array | null {
  const n = column.length;
  const y = Float64Array.from(column);
  let prev = -1;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(y[i]!)) continue;
    if (prev < 0) y.fill(y[i]!, 0, i);
    else for (let k = prev + 1; k < i; k++) y[k] = y[prev]! + ((y[i]! - y[prev]!) * (k - prev)) / (i - prev);
    prev = i;
  }
  if (prev < 0) return null;
  y.fill(y[prev]!, prev + 1);
  return y;
}
