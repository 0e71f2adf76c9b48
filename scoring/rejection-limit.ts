import { InputError } from '../core/errors';

/**
 * How many rejected rows a scoring run tolerates: a count (`N`) or a share of the rows read (`P%`).
 * A run fails when rows_rejected > N, or when rows_rejected > P % of rows_in (strictly more: at 50 %,
 * 1 bad row of 2 passes and 2 of 3 fail). An empty input never fails the limit.
 */
export type RejectionLimit = { count: number } | { percent: number };

export const DEFAULT_REJECTION_LIMIT: RejectionLimit = { percent: 50 };

/** Parses `--max-rejected`: a non-negative integer, or a percentage from 0 to 100 followed by `%`. */
export function parseRejectionLimit(text: string): RejectionLimit {
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text.trim());
  if (percent) {
    const p = Number(percent[1]);
    if (p <= 100) return { percent: p };
  } else if (/^\d+$/.test(text.trim())) {
    return { count: Number(text.trim()) };
  }
  throw new InputError(`--max-rejected must be a row count (e.g. 100) or a percentage from 0% to 100% (e.g. 5%), got '${text}'`);
}

export function exceedsRejectionLimit(limit: RejectionLimit, rowsIn: number, rowsRejected: number): boolean {
  if ('count' in limit) return rowsRejected > limit.count;
  return rowsIn > 0 && rowsRejected * 100 > limit.percent * rowsIn;
}

export function describeRejectionLimit(limit: RejectionLimit): string {
  return 'count' in limit ? `${limit.count} rows` : `${limit.percent}% of the rows read`;
}

/**
 * More rows were rejected than the run allows: nothing is written, and the Lambda quarantines the object
 * (code TOO_MANY_REJECTED). The message names counts only, never data.
 */
export class TooManyRejectedError extends InputError {
  override readonly code = 'TOO_MANY_REJECTED';

  constructor(
    readonly rowsIn: number, readonly rowsRejected: number, readonly limit: RejectionLimit, readonly reasons: Record<string, number>,
  ) {
    const top = Object.entries(reasons).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([r, n]) => `${r} (${n})`).join('; ');
    super(`${rowsRejected} of ${rowsIn} rows were rejected, over the limit of ${describeRejectionLimit(limit)}` +
      `${top ? `; most common: ${top}` : ''}; no output was written (raise it with --max-rejected)`);
  }
}
