import { intFlag, parseFlags, stringFlag } from '../args';
import { runDemoPipeline } from '../demo/demo-pipeline';

export const DEMO_USAGE = `residual demo [--train-rows N] [--test-rows N] [--epochs N] [--seed N] [--backend auto|tensorflow|wasm|cpu] [--dir .demo]
  runs the whole pipeline on this machine: a local S3 server, a trained dense-ae, ONNX, the scoring handler`;

/** `residual demo` / `npm run demo`: prints what happened and the detection quality against the truth. */
export async function runDemo(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, { values: ['dir', 'train-rows', 'test-rows', 'epochs', 'seed', 'backend'] }, 'demo');
  const started = performance.now();
  const log = (line: string) => process.stdout.write(`• ${line}\n`);
  const r = await runDemoPipeline({
    directory: stringFlag(flags, 'dir') ?? '.demo',
    trainRows: intFlag(flags, 'train-rows', 100),
    testRows: intFlag(flags, 'test-rows', 100),
    epochs: intFlag(flags, 'epochs'),
    seed: intFlag(flags, 'seed', 0),
    backend: (stringFlag(flags, 'backend') as 'auto' | 'wasm' | 'cpu' | 'tensorflow' | undefined) ?? 'auto',
    log,
  });
  const d = r.detection;
  const rows: [string, string][] = [
    ['model', `${r.model.name} ${r.model.version} (dense-ae, ${r.model.backend}, trained in ${r.model.trainSeconds.toFixed(1)} s)`],
    ['input', r.input],
    ['rows in / out / rejected', `${r.rowsIn} / ${r.rowsOut} / ${r.rowsRejected}`],
    ['anomalies flagged', `${r.anomaliesFlagged} (threshold ${r.model.threshold.toPrecision(4)})`],
    ['injected anomalous rows', String(r.injectedAnomalies)],
    ['precision / recall / F1', `${d.precision.toFixed(3)} / ${d.recall.toFixed(3)} / ${d.f1.toFixed(3)}`],
    ['ROC-AUC', r.auc.toFixed(4)],
    ['scored by the handler in', `${r.scoreSeconds.toFixed(2)} s`],
    ['results', r.files.results],
    ['summary', r.files.summary],
    ['error report', r.files.errors ?? '(none: no row was rejected)'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`\nresidual demo — done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  for (const [k, v] of rows) process.stdout.write(`  ${k.padEnd(width)}  ${v}\n`);
  const ok = d.recall >= 0.9 && d.precision >= 0.8;
  process.stdout.write(ok ? '\nrecall ≥ 0.9 at precision ≥ 0.8: met\n' : '\nrecall ≥ 0.9 at precision ≥ 0.8: NOT met\n');
  return ok ? 0 : 1;
}
