import type { TrainingData } from '../../train';

export type AutoTask = 'detect' | 'impute';

/** From this share of missing feature cells on, `auto` without a task builds the imputer. */
export const IMPUTE_MIN_MISSING = 0.05;

/**
 * What `auto` builds when the user did not say (`--task`): the imputer when at least IMPUTE_MIN_MISSING of
 * the feature cells are missing (a table with gaps to fill), else the detector (a mostly complete table;
 * its PCA reconstruction still fills the odd gap in `score --mode impute`). With a time column the same rule: a
 * series with that many gaps gets the series imputer (training/models/auto-impute-series), a nearly complete one the
 * time-series detector (a monitored series). Returns the task and why.
 */
export function chooseAutoTask(
  data: Pick<TrainingData, 'values'>, requested?: AutoTask, timeSeries = false,
): { task: AutoTask; reason: string } {
  if (requested) return { task: requested, reason: `--task ${requested}` };
  let missing = 0;
  for (const v of data.values) if (!Number.isFinite(v)) missing++;
  const share = data.values.length ? missing / data.values.length : 0;
  const pct = `${(100 * share).toFixed(1)} % of the feature cells are missing`;
  // a series with a time column and gaps is filled along time (training/models/auto-impute-series); a nearly complete one is watched
  const what = timeSeries
    ? ['the series imputer (fills along the time column)', 'the time-series detector']
    : ['the imputer', 'the detector'];
  return share >= IMPUTE_MIN_MISSING
    ? { task: 'impute', reason: `${pct} (>= ${100 * IMPUTE_MIN_MISSING} %): ${what[0]}` }
    : { task: 'detect', reason: `${pct} (< ${100 * IMPUTE_MIN_MISSING} %): ${what[1]}` };
}
