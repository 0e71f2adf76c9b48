import type { Manifest } from '../core/manifest';

/** The threshold and how it was calibrated, in one plain sentence. */
export function explainThreshold(m: Pick<Manifest, 'threshold'>): string {
  const t = m.threshold;
  const n = t.calibration.n;
  const how =
    t.method === 'percentile'
      ? `the ${t.param}th percentile of the scores of ${n} held-out validation samples`
      : t.method === 'sigma'
        ? `mean + ${t.param} standard deviations of the scores of ${n} held-out validation samples`
        : `a peaks-over-threshold (generalized Pareto) fit to the tail of ${n} validation scores, at risk ${t.param}`;
  return `a row is flagged when its score is above ${t.value.toPrecision(4)}: ${how}`;
}
