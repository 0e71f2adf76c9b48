import { c2st, type C2stResult } from './c2st';
import { correlationDistance } from './correlation';
import { columnDistances, columnOf, sorted } from './marginals';
import { privacyCheck, type PrivacyResult } from './privacy';
import { labelAccuracy } from './softmax-regression';

export interface FidelityInput {
  columns: readonly string[];
  /** Real rows the generator did not train on (row-major, NaN = missing). */
  real: ArrayLike<number>;
  synthetic: ArrayLike<number>;
  /** The generator's training rows: enables the privacy check (and train-on-real for utility). */
  train?: ArrayLike<number>;
  /** Index of the label column in `columns`: enables train-on-synthetic-test-on-real utility. */
  label?: number;
  seed?: number;
  /** Rows per side used by C2ST and by the privacy check (default 5000). */
  maxRows?: number;
}

export interface ColumnFidelity {
  name: string;
  ks: number;
  wasserstein: number;
  /** W₁ divided by the real column's standard deviation. */
  wasserstein_normalized: number;
}

export interface FidelityReport {
  rows: { real: number; synthetic: number; train: number | null; complete_real: number; complete_synthetic: number };
  columns: ColumnFidelity[];
  ks_mean: number;
  wasserstein_normalized_mean: number;
  correlation: { mean_abs: number; max_abs: number };
  c2st: C2stResult;
  utility: { label: string; tstr_accuracy: number; trtr_accuracy: number | null } | null;
  privacy: PrivacyResult | null;
}

/**
 * Everything `residual fidelity` reports (docs/contract.md "Synthetic data"): per-column KS and W₁ (missing
 * cells left out), the correlation-matrix distance, C2ST, TSTR utility and the DCR privacy check (those
 * three on complete rows only; the report counts them).
 */
export function fidelityReport(input: FidelityInput): FidelityReport {
  const f = input.columns.length;
  const { real, synthetic, train } = input;
  const columns = input.columns.map((name, j) => {
    // each column sorted once for both distances
    const { ks, w, normalized } = columnDistances(sorted(columnOf(real, f, j)), sorted(columnOf(synthetic, f, j)));
    return { name, ks, wasserstein: w, wasserstein_normalized: normalized };
  });
  const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / (a.length || 1);
  const cr = complete(real, f);
  const cs = complete(synthetic, f);
  const ct = train ? complete(train, f) : null;
  const seed = input.seed ?? 0;
  const label = input.label;
  return {
    rows: {
      real: Math.floor(real.length / f), synthetic: Math.floor(synthetic.length / f), train: train ? Math.floor(train.length / f) : null,
      complete_real: cr.length / f, complete_synthetic: cs.length / f,
    },
    columns,
    ks_mean: mean(columns.map((c) => c.ks)),
    wasserstein_normalized_mean: mean(columns.map((c) => c.wasserstein_normalized)),
    correlation: correlationDistance(cr, cs, f),
    c2st: c2st(cr, cs, f, { seed, ...(input.maxRows ? { maxRows: input.maxRows } : {}) }),
    utility: label === undefined ? null : {
      label: input.columns[label]!,
      tstr_accuracy: labelAccuracy(cs, cr, f, label),
      trtr_accuracy: ct ? labelAccuracy(ct, cr, f, label) : null,
    },
    privacy: ct ? privacyCheck(ct, cr, cs, f, input.maxRows ?? 5000) : null,
  };
}

function complete(values: ArrayLike<number>, f: number): Float64Array {
  const out: number[] = [];
  const n = Math.floor(values.length / f);
  outer: for (let r = 0; r < n; r++) {
    for (let j = 0; j < f; j++) if (Number.isNaN(values[r * f + j]!)) continue outer;
    for (let j = 0; j < f; j++) out.push(values[r * f + j]!);
  }
  return Float64Array.from(out);
}
