import type { DriftReference } from './drift-reference';

/** Below this many scored rows the report carries no verdict (too few rows to tell drift from chance). */
export const DRIFT_MIN_ROWS = 100;
/** PSI at or above this is a "significant shift" (the customary 0.1 / 0.25 bands). */
export const DRIFT_PSI_LIMIT = 0.25;
/** Flagged share at least this many times the expected one, and this many binomial standard errors above it. */
export const DRIFT_FLAGGED_RATIO = 3;
export const DRIFT_FLAGGED_Z = 3;
/** Share floor in the PSI sum (an empty bin would otherwise give an infinite term). */
const PSI_FLOOR = 1e-4;
const PROBABILITY_BINS = 1000;

/** An accumulator's counts: what a worker thread sends back so the main thread can add it (`add`). */
export interface DriftCounts {
  bins: number[];
  rows: number;
  flagged: number;
  flaggedKnown: number;
  prob: number[];
  probRows: number;
  probSum: number;
  probAbove: number;
}

export interface DriftReport {
  rows_scored: number;
  flagged_share: number | null;
  expected_flagged_share: number;
  /** population stability index of the raw scores over the calibration bins */
  score_psi: number | null;
  score_bins: { upto_quantile: number; expected_share: number; observed_share: number }[];
  /** the anomaly_probability column's distribution (null without the column) */
  probability: { rows: number; mean: number; p50: number; p90: number; p99: number; share_at_or_above_threshold: number | null } | null;
  /** MODEL_DRIFT when the rule in docs/contract.md ("Drift") holds; `reasons` says which part */
  warning: { code: 'MODEL_DRIFT'; reasons: ('SCORE_PSI' | 'FLAGGED_SHARE')[]; message: string } | null;
}

/**
 * Accumulates scored rows (in any order, any number of pushes) into a drift report against the model's
 * calibration. Pure; O(bins) memory. A row counts when its anomaly score is a finite number.
 */
export class DriftAccumulator {
  private readonly binCounts: number[];
  private rows = 0;
  private flagged = 0;
  private flaggedKnown = 0;
  private readonly probCounts = new Uint32Array(PROBABILITY_BINS);
  private probRows = 0;
  private probSum = 0;
  private probAbove = 0;

  constructor(private readonly ref: DriftReference) {
    this.binCounts = new Array<number>(ref.expected.length).fill(0);
  }

  /** `flagged`: the row's is_anomaly (null = empty); `probability`: its anomaly_probability (null = no column or empty) */
  push(score: number, flagged: number | null, probability: number | null = null): void {
    if (!Number.isFinite(score)) return;
    this.rows++;
    const edges = this.ref.edges;
    let bin = 0;
    while (bin < edges.length && score > edges[bin]!) bin++;
    this.binCounts[bin]!++;
    if (flagged !== null) {
      this.flaggedKnown++;
      if (flagged === 1) this.flagged++;
    }
    if (probability !== null && Number.isFinite(probability)) {
      const p = Math.min(1, Math.max(0, probability));
      this.probRows++;
      // in units of 1e-9, so the sum is exact (integers below 2^53 up to 9 million rows) and any order of adds gives it
      this.probSum += Math.round(p * 1e9);
      this.probCounts[Math.min(PROBABILITY_BINS - 1, Math.floor(p * PROBABILITY_BINS))]!++;
      if (this.ref.probability_threshold !== null && p >= this.ref.probability_threshold) this.probAbove++;
    }
  }

  counts(): DriftCounts {
    const { rows, flagged, flaggedKnown, probRows, probSum, probAbove } = this;
    return { bins: [...this.binCounts], rows, flagged, flaggedKnown, prob: Array.from(this.probCounts), probRows, probSum, probAbove };
  }

  /** Adds another accumulator's counts (same reference): the report is then that of all the rows of both. */
  add(c: DriftCounts): void {
    c.bins.forEach((v, i) => (this.binCounts[i]! += v));
    c.prob.forEach((v, i) => (this.probCounts[i]! += v));
    this.rows += c.rows;
    this.flagged += c.flagged;
    this.flaggedKnown += c.flaggedKnown;
    this.probRows += c.probRows;
    this.probSum += c.probSum;
    this.probAbove += c.probAbove;
  }

  report(): DriftReport {
    const n = this.rows;
    const bins = this.ref.expected.map((e, i) => ({
      upto_quantile: this.ref.upto[i]!, expected_share: e, observed_share: n > 0 ? this.binCounts[i]! / n : 0,
    }));
    let psi = 0;
    for (const b of bins) {
      const o = Math.max(b.observed_share, PSI_FLOOR);
      const e = Math.max(b.expected_share, PSI_FLOOR);
      psi += (o - e) * Math.log(o / e);
    }
    const flaggedShare = this.flaggedKnown > 0 ? this.flagged / this.flaggedKnown : null;
    const expected = this.ref.expected_flagged_share;
    const reasons: ('SCORE_PSI' | 'FLAGGED_SHARE')[] = [];
    if (n >= DRIFT_MIN_ROWS) {
      if (psi >= DRIFT_PSI_LIMIT) reasons.push('SCORE_PSI');
      if (flaggedShare !== null && this.flaggedKnown >= DRIFT_MIN_ROWS) {
        const se = Math.sqrt(Math.max(expected * (1 - expected), 1e-12) / this.flaggedKnown);
        const excess = flaggedShare >= DRIFT_FLAGGED_RATIO * expected && flaggedShare - expected >= DRIFT_FLAGGED_Z * se;
        if (excess) reasons.push('FLAGGED_SHARE');
      }
    }
    const warning = reasons.length === 0 ? null : {
      code: 'MODEL_DRIFT' as const,
      reasons,
      message: `the model no longer fits this data (${reasons.map((r) => (r === 'SCORE_PSI' ? `score PSI ${psi.toFixed(2)}` :
        `${pct(flaggedShare!)} of rows flagged, ${pct(expected)} expected`)).join('; ')}): retrain it on recent data`,
    };
    return {
      rows_scored: n,
      flagged_share: flaggedShare,
      expected_flagged_share: expected,
      score_psi: n > 0 ? psi : null,
      score_bins: bins,
      probability: this.probRows === 0 ? null : {
        rows: this.probRows,
        mean: this.probSum / 1e9 / this.probRows,
        p50: this.probQuantile(0.5),
        p90: this.probQuantile(0.9),
        p99: this.probQuantile(0.99),
        share_at_or_above_threshold: this.ref.probability_threshold === null ? null : this.probAbove / this.probRows,
      },
      warning,
    };
  }

  /** upper edge of the 1/1000-wide bin holding the q-quantile */
  private probQuantile(q: number): number {
    const target = q * this.probRows;
    let seen = 0;
    for (let i = 0; i < PROBABILITY_BINS; i++) {
      seen += this.probCounts[i]!;
      if (seen >= target) return (i + 1) / PROBABILITY_BINS;
    }
    return 1;
  }
}

const pct = (x: number) => `${(100 * x).toFixed(x < 0.01 ? 2 : 1)} %`;
