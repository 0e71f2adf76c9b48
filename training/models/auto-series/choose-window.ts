/** Bounds of the window auto-series chooses, and the window when the training rows show no period. */
export const MIN_WINDOW = 16;
export const MAX_WINDOW = 24;
export const DEFAULT_WINDOW = 16;
/** A lag is a period when the autocorrelation there is a local maximum of at least this. */
export const MIN_PERIOD_ACF = 0.3;
/**
 * A lag is a period only when the autocorrelation swings: its peak is at least this above the lowest autocorrelation at
 * shorter lags (a cycle passes through anti-phase; a slowly decaying autocorrelation with a small bump does not).
 */
export const MIN_PERIOD_PROMINENCE = 0.25;
/** Periods longer than half the training rows cannot be seen twice and are not looked for. */
export const PERIOD_FRACTION = 1 / 2;
/** The window is the period divided by this (a sixteenth of a cycle), rounded and bounded. */
export const PERIOD_DIVISOR = 16;
/** The shortest lag that counts as a period. */
export const MIN_PERIOD = 16;

export interface WindowChoice {
  window: number;
  /** the dominant period in rows, or null when no lag qualifies */
  period: number | null;
  /** the autocorrelation at that period (null without one) */
  acf: number | null;
  why: string;
}

/**
 * The dominant period of the training values: the lag in [16, rows/2] (lags below 16 are wiggles, not cycles)
 * whose autocorrelation (values minus their mean) is the highest local maximum that is ≥ 0.3 and ≥ 0.25 above the lowest
 * autocorrelation at every shorter lag (MIN_PERIOD_PROMINENCE). The window is round(period / 16) bounded to [16, 24]
 * (long enough for a shape, short enough that ≤ 750 training rows still give hundreds of reference
 * windows); 16 without a period. Missing values (NaN) count as the mean.
 */
export function chooseWindow(values: ArrayLike<number>): WindowChoice {
  const n = values.length;
  let mean = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(values[i]!)) {
      mean += values[i]!;
      k++;
    }
  }
  mean = k ? mean / k : 0;
  const x = Float64Array.from({ length: n }, (_, i) => (Number.isFinite(values[i]!) ? values[i]! - mean : 0));
  let c0 = 0;
  for (const v of x) c0 += v * v;
  const maxLag = Math.floor(n * PERIOD_FRACTION);
  let best: { lag: number; acf: number } | null = null;
  if (c0 > 0 && maxLag >= 3) {
    const acf = new Float64Array(maxLag + 2);
    for (let lag = 1; lag <= maxLag + 1; lag++) {
      let c = 0;
      for (let i = lag; i < n; i++) c += x[i]! * x[i - lag]!;
      acf[lag] = c / c0;
    }
    let low = Infinity;
    for (let lag = 1; lag < MIN_PERIOD; lag++) low = Math.min(low, acf[lag]!);
    for (let lag = MIN_PERIOD; lag <= maxLag; lag++) {
      const a = acf[lag]!;
      const peak = a >= MIN_PERIOD_ACF && a > acf[lag - 1]! && a >= acf[lag + 1]! && a - low >= MIN_PERIOD_PROMINENCE;
      low = Math.min(low, a);
      if (peak && (!best || a > best.acf)) best = { lag, acf: a };
    }
  }
  if (!best) {
    return { window: DEFAULT_WINDOW, period: null, acf: null,
      why: `no autocorrelation peak ≥ ${MIN_PERIOD_ACF} (and ${MIN_PERIOD_PROMINENCE} above every shorter lag's) at lags ` +
        `${MIN_PERIOD}..${Math.max(maxLag, MIN_PERIOD)}: ` +
        `the default window ${DEFAULT_WINDOW}` };
  }
  const window = Math.max(MIN_WINDOW, Math.min(MAX_WINDOW, Math.round(best.lag / PERIOD_DIVISOR)));
  return { window, period: best.lag, acf: best.acf,
    why: `dominant period ${best.lag} rows (autocorrelation ${best.acf.toFixed(2)}, ≥ ${MIN_PERIOD_PROMINENCE} above the lowest ` +
      `at shorter lags): window round(${best.lag}/${PERIOD_DIVISOR}) ` +
      `bounded to [${MIN_WINDOW}, ${MAX_WINDOW}] = ${window}` };
}
