import type { Manifest } from '../manifest';

/** What a model's scores looked like on its calibration data (the manifest's `threshold.calibration`). */
export interface DriftReference {
  /** ascending bin upper edges (raw score) and each bin's share of the calibration scores; the last bin is open */
  edges: number[];
  expected: number[];
  /** the calibration quantile each bin ends at (1 for the open last bin) */
  upto: number[];
  /** share of rows expected to be flagged `is_anomaly` = 1 on data like the training data */
  expected_flagged_share: number;
  /** flagged by anomaly_probability >= this (the manifest's `probability.threshold`), else null: by raw score */
  probability_threshold: number | null;
}

type Calibration = Manifest['threshold']['calibration'];

/**
 * Bins from the calibration quantiles (0.5, 0.9, 0.95, 0.99, 0.995, 0.999 as calibrateThreshold writes them):
 * (−∞, q50], (q50, q90], …, (q999, ∞) with expected shares 0.5, 0.4, 0.05, …, 0.001. Quantiles with equal
 * values (a score that is often exactly 0) are merged into one bin holding their shares.
 */
export function driftReference(manifest: Pick<Manifest, 'threshold'> & { probability?: { threshold: number } | null }): DriftReference {
  const cal = manifest.threshold.calibration;
  const points = Object.entries(cal.quantiles)
    .map(([q, v]) => [Number(q), v] as const)
    .filter(([q, v]) => q > 0 && q < 1 && Number.isFinite(v))
    .sort((a, b) => a[0] - b[0]);
  const edges: number[] = [];
  const expected: number[] = [];
  const upto: number[] = [];
  let below = 0;
  for (const [q, v] of points) {
    if (edges.length > 0 && v <= edges[edges.length - 1]!) {
      expected[expected.length - 1]! += q - below;
      upto[upto.length - 1] = q;
    } else {
      edges.push(v);
      expected.push(q - below);
      upto.push(q);
    }
    below = q;
  }
  expected.push(1 - below);
  upto.push(1);
  const probability = manifest.probability?.threshold ?? null;
  const flagged = probability !== null ? 1 - probability : exceedance(cal, manifest.threshold.value);
  return { edges, expected, upto, expected_flagged_share: flagged, probability_threshold: probability };
}

/**
 * Share of calibration scores above `value`, from the piecewise-linear distribution function through
 * (min, 0), the quantiles and (max, 1).
 */
export function exceedance(cal: Calibration, value: number): number {
  const inner = Object.entries(cal.quantiles).map(([q, v]) => [v, Number(q)] as [number, number]);
  const pts: [number, number][] = [[cal.min, 0], ...inner, [cal.max, 1]];
  pts.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (value < pts[0]![0]) return 1;
  if (value >= pts[pts.length - 1]![0]) return 0;
  for (let i = 1; i < pts.length; i++) {
    const [x1, p1] = pts[i]!;
    const [x0, p0] = pts[i - 1]!;
    if (value < x1) return 1 - (x1 === x0 ? p1 : p0 + ((value - x0) / (x1 - x0)) * (p1 - p0));
  }
  return 0;
}
