import { availableParallelism } from 'node:os';
import { UsageError } from '../core/usage-error';

/** `--threads auto`: every core this process may run on. */
export const AUTO_THREADS = 'auto';

/**
 * `residual score --threads <N|auto>`: how many cores scoring uses. `auto` is os.availableParallelism() (what the
 * scheduler gives this process, a CPU affinity mask or a container's cpuset included). Anything else must be a
 * whole number ≥ 1 (a UsageError naming the flag otherwise).
 */
export function parseScoreThreads(text: string | undefined): number {
  if (text === undefined || text === AUTO_THREADS) return availableParallelism();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`flag '--threads' must be an integer ≥ 1 or '${AUTO_THREADS}', got '${text}'`);
  }
  return n;
}

/**
 * The worker pipeline's size floor for `--threads <text>`: `auto` (the default) keeps scoring on one thread below
 * PARALLEL_MIN_BYTES (undefined: the default floor); a number the user gave is used on a CSV of any size.
 */
export function workerFloorFor(text: string | undefined): { minBytes: number } | undefined {
  return text === undefined || text === AUTO_THREADS ? undefined : { minBytes: 0 };
}
