import { datasetRoot, readEcgTrain, readEcgTestBinary } from './datasets';
import { trainArtifact, scoreRows } from './onnx-path';
import { corruptBeats, snrDb } from './signal';
import type { ModelKind } from '../../core/model-kind';
async function main() {
  const root = datasetRoot();
  const tr = readEcgTrain(root); const te = readEcgTestBinary(root);
  const clean = te.values.subarray(0, 500 * 140);
  const noisy = corruptBeats(clean, 140, 2002);
  const noiseOnly = corruptBeats(clean, 140, 2002, { wanderAmplitude: [0, 0] });
  for (const spec of process.argv.slice(2)) {
    const [kind, cfg, scaler, epochs] = spec.split('|');
    const a = await trainArtifact(kind as ModelKind, tr.features, tr.values, { seed: 42, epochs: Number(epochs ?? 100), batchSize: 32, patience: 20, modelConfig: cfg ? JSON.parse(cfg) : undefined, scaler: (scaler || 'standard') as 'standard' });
    const c = await scoreRows(a, clean, 'denoise');
    const n = await scoreRows(a, noisy, 'denoise');
    const w = await scoreRows(a, noiseOnly, 'denoise');
    console.log(spec, 'clean->', snrDb(clean, c.values).toFixed(2), 'noisy->', snrDb(clean, n.values).toFixed(2), 'noiseOnly->', snrDb(clean, w.values).toFixed(2), 'in', snrDb(clean, noisy).toFixed(2), snrDb(clean, noiseOnly).toFixed(2), a.epochs);
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
