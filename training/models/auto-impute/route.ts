import type { TrainingData } from '../../train';

export type AutoTask = 'detect' | 'impute';
export const AUTO_TASKS: readonly AutoTask[] = ['detect', 'impute'];

/** From this share of missing feature cells on, `auto` without a task builds the imputer. */
export const IMPUTE_MIN_MISSING = 0.05;

/**
 * What `auto` builds when the user did not say (`--task`): the imputer when at least IMPUTE_MIN_MISSING of
 * the feature cells are missing (a table with gaps to fill), else the detector (a mostly complete table;
 * its PCA reconstruction still fills the odd gap in `score --mode impute`). With a time column the detector,
 * whatever the share missing (a monitored series). Returns the task and why.
 */
export function chooseAutoTask(
  data: Pick<TrainingData, 'values'>, requested?: AutoTask, timeSeries = false,
): { task: AutoTask; reason: string } {
  if (requested) return { task: requested, reason: `--task ${requested}` };
  // a series with a time column is watched, gaps or not (issue 12): the time-series detector; --task impute fills it
  if (timeSeries) return { task: 'detect', reason: 'a time column: the time-series detector (--task impute builds the imputer)' };
  let missing = 0;
  for (const v of data.values) if (!Number.isFinite(v)) missing++;
  const share = data.values.length ? missing / data.values.length : 0;
  const pct = `${(100 * share).toFixed(1)} % of the feature cells are missing`;
  return share >= IMPUTE_MIN_MISSING
    ? { task: 'impute', reason: `${pct} (>= ${100 * IMPUTE_MIN_MISSING} %): the imputer` }
    : { task: 'detect', reason: `${pct} (< ${100 * IMPUTE_MIN_MISSING} %): the detector` };
}
