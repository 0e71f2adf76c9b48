import { UsageError } from '../core/usage-error';

/**
 * The time column a scoring run uses: the one given (--time-column, the library's `timeColumn`), else the
 * manifest's `time_column`, else none. Naming another column than the model was trained with is a usage error.
 */
export function resolveTimeColumn(
  manifestColumn: string | undefined, given: string | undefined,
): { name: string | null; fromFlag: boolean } {
  if (given !== undefined && given === '') throw new UsageError('--time-column needs a column name');
  if (given !== undefined && manifestColumn !== undefined && given !== manifestColumn)
    throw new UsageError(`--time-column '${given}' differs from the model's time column '${manifestColumn}' (leave the flag out)`);
  return { name: given ?? manifestColumn ?? null, fromFlag: given !== undefined };
}
