import { quantileSorted } from '../../../core/threshold';
import { TrainingConfigError } from '../../errors';
import { scoreNorm, type ScoreNorm } from './robust-stats';
import type { MemberName } from './detector-config';

/**
 * How auto turns its members' scores into one.
 * - 'mean': each member's robust z-score (median, IQR / 1.349 on the calibration rows), averaged over the members.
 * - 'family-max': each member's score in units of its own calibration tail, (s − median) / (q95 − median); the
 *   members of one family (the two kNN members) averaged; the row's score is its most extreme family. A member
 *   whose scores have a short tail (the isolation score is bounded) then counts as much as one with a long tail
 *   (distances), and a row that only one family finds odd (anomalies mixed into the training data in a cluster:
 *   distances call them normal, the isolation member does not) still scores high (Aggarwal & Sathe, "Outlier
 *   ensembles", 2017, on averaging vs maximisation).
 */
export type CombineRule = 'mean' | 'family-max';
export const COMBINE_RULES: readonly CombineRule[] = ['mean', 'family-max'];
/**
 * auto's rule unless config.combine names one. Measured through the bench's ONNX path on the 12 design sets
 * (2026-12-02): 'mean' unsup .789 / one-class .851, 'family-max' .798 / .844 (same-run IForest .749, KNN .837), and
 * on ECG5000 beats 'family-max' lost ROC-AUC (.985 vs .990 in the numpy prototype): 'mean' has the larger worst margin.
 */
export const DEFAULT_COMBINE: CombineRule = 'mean';

/** The calibration quantile 'family-max' measures a member's tail to (chosen on the design sets among .90/.95/.99). */
export const TAIL_QUANTILE = 0.95;

/** Members scored as one family under 'family-max' (their normalised scores averaged): the two kNN, the two isolation members. */
export function familyOf(name: MemberName): string {
  return name === 'knn_small' ? 'knn' : name === 'iforest_nn' ? 'iforest' : name;
}

/** The families of `members`, in order of first appearance, each with its members. */
export function families(members: readonly MemberName[]): MemberName[][] {
  const out = new Map<string, MemberName[]>();
  for (const name of members) {
    const key = familyOf(name);
    out.set(key, [...(out.get(key) ?? []), name]);
  }
  return [...out.values()];
}

/** A member's normalisation under `rule` from its calibration scores. */
export function memberNorm(rule: CombineRule, scores: ArrayLike<number>): ScoreNorm {
  if (rule === 'mean') return scoreNorm(scores);
  const sorted = Float64Array.from(scores).sort();
  const median = quantileSorted(sorted, 0.5);
  const spread = quantileSorted(sorted, TAIL_QUANTILE) - median;
  return spread > 1e-12 * Math.max(1, Math.abs(median)) ? { median, spread } : scoreNorm(scores);
}

/** The combined score of one row; `raw(name)` is the member's raw score. */
export function combine(
  rule: CombineRule, norms: Partial<Record<MemberName, ScoreNorm>>, members: readonly MemberName[], raw: (name: MemberName) => number,
): number {
  const z = (name: MemberName): number => (raw(name) - norms[name]!.median) / norms[name]!.spread;
  if (rule === 'mean') return members.reduce((a, name) => a + z(name), 0) / members.length;
  let best = -Infinity;
  for (const family of families(members)) best = Math.max(best, family.reduce((a, name) => a + z(name), 0) / family.length);
  return best;
}

export function configCombine(v: unknown): CombineRule | null {
  if (v === undefined) return null;
  if (!(COMBINE_RULES as readonly unknown[]).includes(v)) {
    throw new TrainingConfigError(`config.combine must be one of ${COMBINE_RULES.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as CombineRule;
}
