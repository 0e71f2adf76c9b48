import type { TableFormat } from '../core/io';
import { InputError } from '../core/errors';
import { SCORE_MODES, type ScoreMode } from '../scoring/score-table';

const FORMATS: readonly TableFormat[] = ['csv', 'jsonl', 'parquet'];

/** JavaScript callers pass anything: a mode outside SCORE_MODES is refused (as `--mode` is), not scored. */
export function checkMode(mode: unknown): asserts mode is ScoreMode {
  if (!SCORE_MODES.includes(mode as ScoreMode)) {
    throw new InputError(`mode must be one of ${SCORE_MODES.join(', ')}, got '${String(mode)}'`);
  }
}

export function checkFormat(format: unknown): asserts format is TableFormat | undefined {
  if (format !== undefined && !FORMATS.includes(format as TableFormat)) {
    throw new InputError(`format must be one of ${FORMATS.join(', ')}, got '${String(format)}'`);
  }
}
