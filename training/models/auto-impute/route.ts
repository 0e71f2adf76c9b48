import type { TrainingData } from '../../train';

export type AutoTask = 'detect' | 'impute';
export const AUTO_TASKS: readonly AutoTask[] = ['detect', 'impute'];

/** From this share of missing feature cells on, `auto` without a task builds the imputer. */
export const IMPUTE_MIN_MISSING = 0.05;

/**
 * What `auto` builds when the user did not say (`--task`): the imputer when at least IMPUTE_MIN_MISSING of
 * the feature cells are missing (a table with gaps to fill), else the detector (a mostly complete table;
 * its PCA reconstruction still fills the odd gap in `score --mode impute`). Returns the task and why.
 */
export function chooseAutoTask(data: Pick<TrainingData, 'values'>, requested?: AutoTask): { task: AutoTask; reason: string } {
  if (requested) return { task: requested, reason: `--task ${requested}` };
  let missing = 0;
  for (const v of data.values) if (!Number.isFinite(v)) missing++;
  const share = data.values.length ? missing / data.values.length : 0;
  const pct = `${(100 * share).toFixed(1)} % of the feature cells are missing`;
  return share >= IMPUTE_MIN_MISSING
    ? { task: 'impute', reason: `${pct} (>= ${100 * IMPUTE_MIN_MISSING} %): the imputer` }
    : { task: 'detect', reason: `${pct} (< ${100 * IMPUTE_MIN_MISSING} %): the detector` };
}
