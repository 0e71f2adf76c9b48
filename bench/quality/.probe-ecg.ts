import { datasetRoot, readEcgTrain, readEcgTestBinary } from './datasets';
import { trainArtifact, scoreRows } from './onnx-path';
import { rocAuc, confusion } from '../../core/metrics';
import type { ModelKind } from '../../core/model-kind';
async function main() {
  const root = datasetRoot();
  const tr = readEcgTrain(root); const te = readEcgTestBinary(root);
  const idx: number[] = []; for (let i = 0; i < tr.rows; i++) if (tr.labels[i] === 1) idx.push(i);
  const normal = new Float64Array(idx.length * 140); idx.forEach((r, k) => normal.set(tr.values.subarray(r * 140, r * 140 + 140), k * 140));
  const labels = Int32Array.from(te.labels, (l) => (l === 0 ? 1 : 0));
  for (const kind of (process.argv[2] ?? 'pca,dense-ae').split(',') as ModelKind[]) {
    const t0 = Date.now();
    const a = await trainArtifact(kind, tr.features, normal, { epochs: Number(process.argv[3] ?? 100), seed: 42, batchSize: 32, threshold: process.argv[4] ?? 'percentile:99.5', modelConfig: process.argv[5] ? JSON.parse(process.argv[5]) : undefined, scaler: (process.argv[6] as 'standard') ?? 'standard', error: (process.argv[7] as 'mse') ?? 'mse' });
    const t1 = Date.now();
    const s = await scoreRows(a, te.values, 'detect');
    const c = confusion(s.flags, labels);
    console.log(kind, a.manifest.training.backend, 'epochs', a.epochs, 'train', t1 - t0, 'ms score', Date.now() - t1, 'ms AUC', rocAuc(s.scores, labels).toFixed(4), 'acc', c.accuracy.toFixed(4), 'P', c.precision.toFixed(3), 'R', c.recall.toFixed(3), 'thr', a.manifest.threshold.value.toFixed(4), JSON.stringify(a.manifest.training.config.model));
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
