import { datasetRoot, readNumericCsv } from './datasets';
import { trainArtifact, scoreRows } from './onnx-path';
import { gainRmse, mcarMask, roundCategorical, withMissing } from './gain-protocol';
import type { ModelKind } from '../../core/model-kind';
async function main() {
  const root = datasetRoot();
  const [file, ...specs] = process.argv.slice(2);
  const data = readNumericCsv(root, `gain_letter_spam/${file}.csv`);
  const w = data.columns.length;
  // validation: seed 0 mask, plus 20% of its observed cells hidden; RMSE on those extra cells
  const m0 = mcarMask(data.values.length, 0.2, 0);
  const extra = mcarMask(data.values.length, 0.2, 100);
  const maskV = Uint8Array.from(m0, (m, i) => (m && extra[i] ? 1 : 0));
  const evalMask = Uint8Array.from(m0, (m, i) => (m && !extra[i] ? 0 : 1)); // 0 = validation cell
  const inc = withMissing(data.values, maskV);
  for (const spec of specs) {
    const [kind, cfg, epochs, batch, lr, scaler] = spec.split('|');
    const t0 = Date.now();
    const a = await trainArtifact(kind as ModelKind, data.columns, inc, { seed: 0, epochs: Number(epochs || 40), batchSize: Number(batch || 128), learningRate: lr ? Number(lr) : undefined, modelConfig: cfg ? JSON.parse(cfg) : undefined, scaler: (scaler || 'standard') as 'standard' });
    const f = await scoreRows(a, inc, 'impute');
    const r = gainRmse(data.values, roundCategorical(f.values, inc, maskV, w), evalMask, w);
    console.log(file, spec, 'valRMSE', r.toFixed(4), 'epochs', a.epochs, 'ms', Date.now() - t0);
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
