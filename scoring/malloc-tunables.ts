/**
 * glibc malloc settings for a scoring process, set in its environment before it starts (the scoring Lambda's:
 * infra/constructs/scoring.ts; the CLI where a user sets GLIBC_TUNABLES to it). onnxruntime-node copies every
 * fetched output into a new ArrayBuffer (2.3 MB of feature_error a batch of 4096 × 140), and V8 frees those in
 * bunches after a GC; with glibc's dynamic thresholds the freed top of the heap goes back to the kernel (trimmed above
 * twice the largest freed block), so the next runs fault the same pages in again: ~500 minor page faults a
 * session.run and ~15 % of its CPU, where onnxruntime-python (numpy wraps onnxruntime's own buffer) has none
 * (BENCHMARKS.md, "onnxruntime-node beside onnxruntime-python"). Fixed thresholds keep blocks below 8 MiB in the heap
 * and up to 32 MiB of free heap top per malloc arena. Not glibc (macOS, musl): the variable is ignored.
 */
export const SCORING_GLIBC_TUNABLES = 'glibc.malloc.mmap_threshold=8388608:glibc.malloc.trim_threshold=33554432';
