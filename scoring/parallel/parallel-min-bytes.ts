/**
 * Below this many input bytes scoring stays on one thread (the CLI's `--threads auto` and the Lambda alike): starting
 * the workers (each loads the reader, the writers and onnxruntime: ~0.3 s of CPU apiece, more under tsx) costs more
 * than they save on a small input. Its own module so that reading it does not load the worker pipeline (which
 * write-scored-output.ts requires lazily, for the cold start).
 */
export const PARALLEL_MIN_BYTES = 32 << 20;
