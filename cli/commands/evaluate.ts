import { formatFromKey, readTable, type TableChunk } from '../../core/io';
import { InputError } from '../../core/errors';
import {
  alignedRows, detectionReport, DetectionCollector, rowsOf, signalReport, type DetectionReport, type SignalReport,
} from '../../core/evaluation';
import { storeForUri } from '../../storage/adapters/store-for-uri';
import { openTable } from '../../storage/open-table';
import { UsageError } from '../../core/usage-error';
import { commandOutput } from '../command-output';
import type { ParsedCommandLine } from '../flags/parse-command-line';
import { isStdio, openStdin } from '../stdio-store';

/** Opens any table residual reads (CSV, JSON Lines, Parquet; gzip; local or s3://; `-`: stdin) for streaming. */
export async function openChunks(uri: string): Promise<AsyncIterable<TableChunk>> {
  if (isStdio(uri)) {
    const stdin = await openStdin();
    return readTable(stdin.body, { format: stdin.format, gzip: stdin.gzip });
  }
  const { store, location } = storeForUri(uri);
  const { format, gzip } = formatFromKey(uri);
  return (await openTable(store, location, { format, gzip })).chunks;
}

export interface EvaluateOptions {
  scored: string;
  labelColumn?: string;
  labels?: string;
  timeColumn?: string;
  reference?: string;
  input?: string;
  features?: string[];
}

export async function runEvaluate(cl: ParsedCommandLine): Promise<number> {
  const out = commandOutput(cl);
  const sources = ['scored', 'labels', 'reference', 'input'].filter((f) => isStdio(cl.string(f) ?? ''));
  if (sources.length > 1) throw new UsageError(`only one of ${sources.map((f) => `--${f}`).join(', ')} can read stdin ('-')`);
  const report = await evaluateFile({
    scored: cl.required('scored'),
    labelColumn: cl.string('label-column'),
    labels: cl.string('labels'),
    timeColumn: cl.string('time-column'),
    reference: cl.string('reference'),
    input: cl.string('input'),
    features: cl.list('features'),
  });
  out.result(report.mode === 'detect' ? describeDetection(report) : describeSignal(report), report);
  return 0;
}

export async function evaluateFile(o: EvaluateOptions): Promise<DetectionReport | SignalReport> {
  if (o.reference) {
    const tables = [{ name: o.scored, chunks: await openChunks(o.scored) }, { name: o.reference, chunks: await openChunks(o.reference) }];
    if (o.input) tables.push({ name: o.input, chunks: await openChunks(o.input) });
    return signalReport(alignedRows(tables), o.features ?? null);
  }
  if (!o.labelColumn) throw new InputError('give --label-column (detect) or --reference (impute/denoise)');
  return evaluateDetection(o, o.labelColumn);
}

async function evaluateDetection(o: EvaluateOptions, labelColumn: string): Promise<DetectionReport> {
  let collector: DetectionCollector | null = null;
  let rejected = 0;
  let at: { score: number; flag: number; label: number; time: number } | null = null;
  const index = (columns: readonly string[], name: string, file: string, required: boolean): number => {
    const i = columns.indexOf(name);
    if (i < 0 && required) throw new InputError(`${file} has no column '${name}'`);
    return i;
  };
  const start = (scoredCols: readonly string[], labelCols: readonly string[]) => {
    const file = o.labels ?? o.scored;
    at = {
      score: index(scoredCols, 'anomaly_score', o.scored, true),
      flag: index(scoredCols, 'is_anomaly', o.scored, false),
      label: index(labelCols, labelColumn, file, true),
      time: o.timeColumn ? index(scoredCols, o.timeColumn, o.scored, true) : -1,
    };
    const flag = at.flag >= 0 ? 'is_anomaly' : null;
    return new DetectionCollector({ score: 'anomaly_score', flag, label: labelColumn, time: o.timeColumn ?? null });
  };
  const cell = (cells: readonly (string | null)[], i: number) => (i < 0 ? null : cells[i] ?? null);
  if (o.labels) {
    const rows = alignedRows([
      { name: o.scored, chunks: await openChunks(o.scored) },
      { name: o.labels, chunks: await openChunks(o.labels) },
    ]);
    for await (const [s, l] of rows) {
      collector ??= start(s!.columns, l!.columns);
      const c = s!.row.cells;
      collector.add(s!.row.line, cell(c, at!.score), cell(c, at!.flag), cell(l!.row.cells, at!.label), cell(c, at!.time));
    }
  } else {
    const rows = rowsOf(await openChunks(o.scored), () => void rejected++);
    for await (const { row, columns } of rows) {
      collector ??= start(columns, columns);
      const c = row.cells;
      collector.add(row.line, cell(c, at!.score), cell(c, at!.flag), cell(c, at!.label), cell(c, at!.time));
    }
  }
  if (!collector) throw new InputError(`${o.scored} has no rows to evaluate`);
  const c = collector as DetectionCollector;
  const counts = { rowsIn: c.rowsIn + rejected, rowsRejected: rejected, missingScore: c.missingScore, missingLabel: c.missingLabel };
  return detectionReport(c.result(), counts);
}

const f = (v: number | null, digits = 4) => (v === null ? 'n/a' : v.toFixed(digits));

export function describeDetection(r: DetectionReport): string {
  const lines = [
    `rows: ${r.rows_in} read, ${r.rows_used} evaluated (${r.positives} labelled anomalous), ` +
      `${r.rows_missing_score} left out for an empty score, ${r.rows_missing_label} for an empty label, ${r.rows_rejected} unreadable`,
    `ROC-AUC ${f(r.roc_auc)}   PR-AUC (average precision) ${f(r.pr_auc)}`,
    r.f1 === null
      ? 'at is_anomaly: no is_anomaly column'
      : `at is_anomaly: precision ${f(r.precision)} recall ${f(r.recall)} F1 ${f(r.f1)} (tp ${r.tp}, fp ${r.fp}, fn ${r.fn}, tn ${r.tn})`,
    r.best_f1 === null
      ? 'best F1: n/a'
      : `best F1 ${f(r.best_f1)} at score ≥ ${r.best_f1_threshold} (precision ${f(r.best_f1_precision)}, recall ${f(r.best_f1_recall)})`,
    r.event_recall === null
      ? `events: ${r.events}`
      : `events: ${r.events_detected} of ${r.events} detected (event recall ${f(r.event_recall)})` +
        (r.rows_to_detect ? `; rows to detect: mean ${f(r.rows_to_detect.mean, 1)}, max ${r.rows_to_detect.max}` : '') +
        (r.time_to_detect ? `; time to detect: mean ${f(r.time_to_detect.mean, 1)}, max ${f(r.time_to_detect.max, 1)}` : ''),
  ];
  if (r.point_adjusted_f1 !== null) lines.push(`point-adjusted F1 ${f(r.point_adjusted_f1)} (inflated — see warning)`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n') + '\n';
}

export function describeSignal(r: SignalReport): string {
  const lines = [
    `rows: ${r.rows_in}; features compared: ${r.features.join(', ')}`,
    `output vs reference: RMSE ${f(r.rmse)}  SNR ${f(r.snr_db, 2)} dB over ${r.cells} cells (${r.cells_skipped} empty cells left out)`,
  ];
  if (r.cells_filled !== null) lines.push(`filled cells (empty in the input): ${r.cells_filled}, RMSE ${f(r.rmse_filled)}`);
  if (r.rmse_input !== null || r.snr_db_input !== null) {
    lines.push(`input vs reference: RMSE ${f(r.rmse_input)}  SNR ${f(r.snr_db_input, 2)} dB`);
  }
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n') + '\n';
}
