import { execFileSync } from 'node:child_process';
import type { ThreadsRun } from './parallel-end-to-end';

/** Lambda x86_64 list price, us-east-1, first pricing tier: USD per GB-second (aws.amazon.com/lambda/pricing). */
export const LAMBDA_X86_USD_PER_GB_SECOND = 0.0000166667;

/** Lambda memory sizes and the vCPUs they get (1,769 MB is one full vCPU; 10,240 MB gets 6). */
export const LAMBDA_SIZES: readonly { memoryMb: number; vcpus: number }[] = [
  { memoryMb: 1769, vcpus: 1 },
  { memoryMb: 3008, vcpus: 2 },
  { memoryMb: 5307, vcpus: 3 },
  { memoryMb: 7076, vcpus: 4 },
  { memoryMb: 8845, vcpus: 5 },
  { memoryMb: 10240, vcpus: 6 },
];

export interface PinnedRun {
  cpus: number;
  threads: number;
  cold: ThreadsRun;
  warm: ThreadsRun;
  /** peak RSS of the process (both runs; workers included) */
  maxRssMB: number;
}

/**
 * `residual score`'s path in a fresh process pinned to the first `cpus` CPUs with `taskset` (no cgroup limit, as
 * the issue asks), scoring with `threads` threads; null where taskset is missing or the machine has fewer CPUs.
 */
export function pinnedRun(modelDir: string, csv: string, cpus: number, threads: number, available: number): PinnedRun | null {
  if (cpus > available) return null;
  try {
    const list = Array.from({ length: cpus }, (_, i) => i).join(',');
    const args = ['-c', list, process.execPath, '--import', 'tsx', 'bench/score/threads-child.ts', modelDir, csv, String(threads)];
    const line = execFileSync('taskset', args, { encoding: 'utf8', maxBuffer: 1 << 20 });
    const r = JSON.parse(line.trim().split('\n').pop()!) as { cold: ThreadsRun; warm: ThreadsRun; maxRssMB: number };
    return { cpus, threads, ...r };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** USD to score one GB of input at `mbPerSecond` on a function of `memoryMb`. */
export const usdPerGb = (memoryMb: number, mbPerSecond: number) => (memoryMb / 1024) * (1000 / mbPerSecond) * LAMBDA_X86_USD_PER_GB_SECOND;
