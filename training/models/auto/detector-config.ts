import { TrainingConfigError } from '../../errors';
import type { CombineRule } from './combine';

/** The auto detector's members and reference-trim settings, and how config.members / trim_by / reference_trim are read. */

export type MemberName = 'knn' | 'pca' | 'ae' | 'iforest' | 'knn_small' | 'iforest_nn';
export const MEMBER_NAMES: readonly MemberName[] = ['knn', 'pca', 'ae', 'iforest', 'knn_small', 'iforest_nn'];
/**
 * The members auto uses unless config.members says otherwise: kNN at two k (chooseK's and KNN_SMALL_K), PCA and
 * the isolation forest on tables; the two kNN and PCA alone on signal rows (pooled scaling), where a split on one
 * column of a shape says little.
 */
export const DEFAULT_MEMBERS: readonly MemberName[] = ['knn', 'knn_small', 'pca', 'iforest'];
export const SIGNAL_MEMBERS: readonly MemberName[] = ['knn', 'knn_small', 'pca'];
/**
 * Share of the kNN reference rows left out (with them, from the PCA fit) when the isolation member is fitted: the
 * ones it scores highest, so that anomalies mixed into the training data are less often their own neighbours.
 */
export const REFERENCE_TRIM = 0.05;

/**
 * What ranks the sampled rows for trimming (config.trim_by): 'iforest' (the default) their isolation score;
 * 'iforest_nn' the mean isolation score of their k nearest sampled rows (leave-one-out, k = chooseK of the sample),
 * which a tight cluster of anomalies shares, so that more of the cluster leaves the reference. Opt-in: measured on
 * the 18 ADBench sets it fixes the clustered-anomaly sets in the unsupervised protocol and costs the one-class mean
 * (BENCHMARKS.md, issue 13).
 */
export type TrimRule = 'iforest' | 'iforest_nn';
export const TRIM_RULES: readonly TrimRule[] = ['iforest', 'iforest_nn'];

export function combineReason(rule: CombineRule, given: boolean): string {
  if (given) return `given: config.combine (${rule})`;
  return "default: the mean of the members' robust z-scores ('family-max' was measured too: a higher unsupervised mean, a " +
    'lower one-class mean on the design sets, and it lost ROC-AUC on ECG beats)';
}

export function configMembers(config: Record<string, unknown>): readonly MemberName[] | null {
  const v = config['members'];
  if (v === undefined) return null;
  const ok = Array.isArray(v) && v.includes('knn') && v.includes('pca') && new Set(v).size === v.length
    && v.every((m) => (MEMBER_NAMES as readonly unknown[]).includes(m)) && (!v.includes('iforest_nn') || v.includes('iforest'));
  if (!ok) {
    throw new TrainingConfigError(
      "config.members must list 'knn', 'pca' and optionally 'knn_small', 'ae', 'iforest', 'iforest_nn' (with 'iforest'), " +
        `got ${JSON.stringify(v)}`,
    );
  }
  return v as MemberName[];
}

export function configTrimRule(v: unknown): TrimRule {
  if (v === undefined) return 'iforest';
  if (!(TRIM_RULES as readonly unknown[]).includes(v)) {
    throw new TrainingConfigError(`config.trim_by must be one of ${TRIM_RULES.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as TrimRule;
}

export function configTrimShare(v: unknown): number {
  if (v === undefined) return REFERENCE_TRIM;
  if (typeof v !== 'number' || !(v >= 0 && v <= 0.5)) {
    throw new TrainingConfigError(`config.reference_trim must be a number in [0, 0.5], got ${JSON.stringify(v)}`);
  }
  return v;
}
