import type { ParsedCommandLine } from '../flags/parse-command-line';
import { runDemoPipeline } from '../demo/demo-pipeline';

/** `residual demo` / `npm run demo`: prints what happened and the detection quality against the truth. */
export async function runDemo(cl: ParsedCommandLine): Promise<number> {
  const started = performance.now();
  const log = (line: string) => process.stdout.write(`• ${line}\n`);
  const r = await runDemoPipeline({
    directory: cl.required('dir'),
    trainRows: cl.int('train-rows'),
    testRows: cl.int('test-rows'),
    epochs: cl.int('epochs'),
    seed: cl.int('seed'),
    backend: cl.required('backend') as 'auto' | 'wasm' | 'cpu' | 'tensorflow',
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
