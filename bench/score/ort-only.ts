import { parseManifest } from '../../core/manifest';
import { createOnnxScorer } from '../../functions/adapters/onnx-scorer';
import { readArtifact } from './fixtures';

/** onnxruntime-node alone: rows/s through the scoring-head model on one thread, batches of `batch` rows. */
export async function ortRowsPerSecond(modelDir: string, batch = 4096, seconds = 4): Promise<number> {
  const { onnx, manifest: raw } = readArtifact(modelDir);
  const manifest = parseManifest(raw);
  const scorer = await createOnnxScorer(onnx, manifest, { threads: 1 });
  const f = manifest.features.length;
  const x = Float32Array.from({ length: batch * f }, (_, i) => Math.sin(i));
  const mask = new Float32Array(batch * f).fill(1);
  for (let i = 0; i < 5; i++) await scorer.run(x, mask, batch);
  let rows = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    await scorer.run(x, mask, batch);
    rows += batch;
  }
  const rate = rows / ((performance.now() - start) / 1000);
  await scorer.release();
  return rate;
}
