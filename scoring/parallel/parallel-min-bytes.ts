/**
 * Below this many input bytes scoring stays on one thread (the CLI's `--threads auto` and the Lambda alike): starting
 * the workers (each loads the reader and the writers, and warms up its own compiled code) and the extra
 * work each does per row (two workers take 1.3–1.6× the CPU of one thread) cost more than they save on a smaller
 * input. Measured on 2 idle cores (BENCHMARKS.md, "Multi-core scoring", `bench/score/threads-side-by-side.ts`,
 * dense-ae on 140 columns): `--threads 2` was slower than `--threads 1` at 133 MB (0.91× the speed) and
 * 0.94× at 200 MB, and was faster from 266 MB (1.15×) and 532 MB (1.14×) (the floor was 32 MiB before).
 * Its own module so that reading it does not load the worker pipeline (which write-scored-output.ts requires lazily,
 * for the cold start).
 */
export const PARALLEL_MIN_BYTES = 256 << 20;
