import { parseManifest } from '../../core/manifest';
import { createOnnxScorer } from '../../scoring/adapters/onnx-scorer';
import { readArtifact } from './fixtures';

/**
 * onnxruntime-node alone: rows/s through the scoring-head model on one thread, batches of `batch` rows;
 * the best of `windows` timed windows (the Python baseline measures the same way), which a busy shared
 * machine distorts least.
 */
export async function ortRowsPerSecond(modelDir: string, batch = 4096, seconds = 2, windows = 3): Promise<number> {
  const { onnx, manifest: raw } = readArtifact(modelDir);
  const manifest = parseManifest(raw);
  const scorer = await createOnnxScorer(onnx, manifest, { threads: 1 });
  const f = manifest.features.length;
  const x = Float32Array.from({ length: batch * f }, (_, i) => Math.sin(i));
  const mask = new Float32Array(batch * f).fill(1);
  for (let i = 0; i < 5; i++) await scorer.run(x, mask, batch);
  let rate = 0;
  for (let w = 0; w < windows; w++) {
    let rows = 0;
    const start = performance.now();
    while (performance.now() - start < seconds * 1000) {
      await scorer.run(x, mask, batch);
      rows += batch;
    }
    rate = Math.max(rate, rows / ((performance.now() - start) / 1000));
  }
  await scorer.release();
  return rate;
}
