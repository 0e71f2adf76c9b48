import { statSync } from 'node:fs';
import { join } from 'node:path';
import { formatFromKey } from '../../core/io';
import { createOnnxScorer } from '../../scoring/adapters/onnx-scorer';
import { writeScoredOutput } from '../../scoring/write-scored-output';
import { storeForUri } from '../../storage/adapters/store-for-uri';
import { loadModelArtifact } from '../../storage/artifact/load-model-artifact';
import { openTable } from '../../storage/open-table';
import { BENCH_DIR } from './fixtures';

export interface ThreadsRun {
  threads: number;
  seconds: number;
  mbPerSecond: number;
  rowsPerSecond: number;
  modelSeconds: number;
}

/**
 * Scores a local CSV with `threads` scoring threads (1: the one-thread path; more: worker threads beside the
 * onnxruntime session), in this process, through writeScoredOutput as `residual score` does. The model is
 * loaded before the clock starts, as in a warm Lambda; the worker pool is whatever this process already runs.
 */
export async function scoreWithThreads(modelDir: string, csv: string, threads: number): Promise<ThreadsRun> {
  const bytes = statSync(csv).size;
  const modelAt = storeForUri(modelDir);
  const input = storeForUri(csv);
  const outputPath = join(BENCH_DIR, `scored-t${threads}.csv`);
  const output = storeForUri(outputPath);
  const open = (onnx: Uint8Array, manifest: Parameters<typeof createOnnxScorer>[1]) => createOnnxScorer(onnx, manifest, { threads: 1 });
  const model = await loadModelArtifact(modelAt.store, modelAt.location, open);
  try {
    const start = performance.now();
    let raw: AsyncIterable<Uint8Array> | undefined;
    const table = await openTable(input.store, input.location, { format: 'csv', wrap: (body) => (raw = body) });
    const summary = await writeScoredOutput({
      chunks: table.chunks,
      parallel: threads > 1 ? { bytes: raw!, threads, gzip: formatFromKey(csv).gzip } : undefined,
      model,
      mode: 'detect',
      inputFormat: 'csv',
      outputFormat: 'csv',
      store: output.store,
      output: output.location,
      input: { uri: csv, bytes: table.bytes },
    });
    const seconds = (performance.now() - start) / 1000;
    const modelSeconds = summary.timings.model_ms / 1000;
    return { threads, seconds, mbPerSecond: bytes / 1e6 / seconds, rowsPerSecond: summary.rows_out / seconds, modelSeconds };
  } finally {
    await model.scorer.release();
  }
}
