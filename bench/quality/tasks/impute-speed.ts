import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { scoreFile } from '../../../cli/commands/score';
import { formatFloat32 } from '../../../core/io';
import { Rng } from '../../../core/rng';
import { markdownTable } from '../../report';
import { goalLine, log, seconds } from '../format';
import { trainArtifact, type TrainedArtifact } from '../onnx-path';
import { latentRows } from './auto-speed';

/** The two tables: linear latent factors, and the same with every 7th column bent by tanh (kNN wins there). */
export const IMPUTE_SPEED_TABLES = ['linear', 'bent'] as const;
export type ImputeSpeedTable = (typeof IMPUTE_SPEED_TABLES)[number];

/** Seeded rows [n × f] (auto-speed.ts's latent-factor rows; 'bent': columns 0, 7, 14, … through 10·tanh(v / 10)), 20 % MCAR. */
export function imputeSpeedRows(table: ImputeSpeedTable, n: number, f: number, seed: number): Float64Array {
  const x = latentRows(n, f, seed);
  if (table === 'bent') for (let i = 0; i < x.length; i++) if ((i % f) % 7 === 0) x[i] = 10 * Math.tanh(x[i]! / 10);
  const rng = new Rng(seed + 1);
  for (let i = 0; i < x.length; i++) if (rng.next() < 0.2) x[i] = NaN;
  return x;
}

function csvOf(x: Float64Array, f: number): string {
  const lines = [Array.from({ length: f }, (_, j) => `x${j}`).join(',')];
  for (let i = 0; i < x.length; i += f) {
    const cells: string[] = new Array(f);
    for (let j = 0; j < f; j++) cells[j] = Number.isFinite(x[i + j]) ? formatFloat32(x[i + j]!) : '';
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** onnxruntime alone (one thread): the rows' own values and masks, batches of `batch`, one pass. */
async function graphRowsPerSecond(artifact: TrainedArtifact, x: Float64Array, f: number, batch: number): Promise<number> {
  const session = await ort.InferenceSession.create(artifact.onnx, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const n = x.length / f;
    const xs = Float32Array.from(x, (v) => (Number.isFinite(v) ? v : 0));
    const ms = Float32Array.from(x, (v) => (Number.isFinite(v) ? 1 : 0));
    const feeds = (at: number, rows: number) => ({
      x: new ort.Tensor('float32', xs.subarray(at * f, (at + rows) * f), [rows, f]),
      mask: new ort.Tensor('float32', ms.subarray(at * f, (at + rows) * f), [rows, f]),
    });
    await session.run(feeds(0, Math.min(batch, n)), ['reconstruction']);
    const t0 = performance.now();
    for (let at = 0; at < n; at += batch) await session.run(feeds(at, Math.min(batch, n - at)), ['reconstruction']);
    return n / ((performance.now() - t0) / 1000);
  } finally {
    await session.release();
  }
}

interface SpeedRow {
  table: ImputeSpeedTable;
  trainMs: number;
  trainCpu: number;
  graph: number;
  endToEnd: number;
  /** rows per second of this process's CPU time (all its threads) */
  perCpu: number;
  members: string;
  knnColumns: number;
  steps: number;
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

/**
 * Issue 14's speed targets: `auto` (task impute, no settings) on 100,000 × 50 with 20 % MCAR trains in ≤ 3 minutes
 * and fills ≥ 100,000 rows/s end to end: the CLI's own scoreFile (`residual score --mode impute --threads 1`) on a
 * CSV file, timed in this process (the model load, parse, graph and CSV writing; not node's start), beside the
 * graph alone through onnxruntime.
 */
export async function imputeSpeed(
  rows = 100000, f = 50, tables: readonly ImputeSpeedTable[] = IMPUTE_SPEED_TABLES,
): Promise<{ markdown: string }> {
  const features = Array.from({ length: f }, (_, j) => `x${j}`);
  // RESIDUAL_IMPUTE_SPEED_DIR keeps the models and CSV files there (to profile `residual score` on them)
  const keep = process.env['RESIDUAL_IMPUTE_SPEED_DIR'];
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'impute-speed-'));
  const out: SpeedRow[] = [];
  try {
    for (const table of tables) {
      const x = imputeSpeedRows(table, rows, f, 7);
      const c0 = process.cpuUsage();
      const artifact = await trainArtifact('auto', features, x, { task: 'impute' });
      const trainCpu = cpuSeconds(c0);
      const model = join(dir, table);
      rmSync(model, { recursive: true, force: true });
      mkdirSync(model, { recursive: true });
      writeFileSync(join(model, 'manifest.json'), JSON.stringify(artifact.manifest));
      writeFileSync(join(model, 'model.onnx'), artifact.onnx);
      const input = join(dir, `${table}.csv`);
      writeFileSync(input, csvOf(x, f));
      const graph = await graphRowsPerSecond(artifact, x, f, 4096);
      const t0 = performance.now();
      const c1 = process.cpuUsage();
      const res = await scoreFile({ model, input, output: join(dir, `${table}-out.csv`), mode: 'impute', threads: 1 });
      const endToEnd = res.rows_out / ((performance.now() - t0) / 1000);
      const perCpu = res.rows_out / cpuSeconds(c1);
      const cfg = artifact.manifest.imputation?.columns ?? [];
      const knnColumns = cfg.filter((c) => (c as { k?: number | null }).k != null).length;
      const members = String((artifact.manifest.auto as { members?: string[] } | undefined)?.members ?? '');
      const steps = Number((artifact.manifest.auto as { cg_steps?: number } | undefined)?.cg_steps ?? 0);
      out.push({ table, trainMs: artifact.trainMs, trainCpu, graph, endToEnd, perCpu, members, knnColumns, steps });
      log(`impute-speed ${table}: train ${seconds(artifact.trainMs)} (CPU ${trainCpu.toFixed(1)} s), ${steps} CG steps, ` +
        `graph ${graph.toFixed(0)} rows/s, ` +
        `end to end ${endToEnd.toFixed(0)} rows/s (${perCpu.toFixed(0)} per CPU s; ${knnColumns} kNN columns)`);
    }
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
  const body = out.map((r) => [r.table, seconds(r.trainMs), `${r.trainCpu.toFixed(1)} s`, r.members, r.knnColumns, r.steps,
    r.graph.toFixed(0), r.endToEnd.toFixed(0), r.perCpu.toFixed(0), (r.graph / r.endToEnd).toFixed(2)]);
  const goals = out.map((r) => `${goalLine(`${r.table}: train time (s)`, r.trainMs / 1000, 180, 'lower', 1)}\n` +
    goalLine(`${r.table}: fill rows/s end to end`, r.endToEnd, 100000, 'higher', 0)).join('\n');
  return {
    markdown: `### \`auto\` imputer speed (\`--tasks impute-speed\`)

${rows.toLocaleString('en-US')} × ${f} seeded rows (5 latent factors + noise; 'bent': every 7th column through tanh), 20 % MCAR.
Timed on whatever else the machine was running: compare the ratios, not the absolute figures.

${markdownTable(['table', 'train', 'train CPU', 'members kept', 'kNN columns', 'CG steps', 'graph rows/s (1 thread, batch 4,096)',
    'end to end rows/s (scoreFile, 1 thread)', 'end to end rows per CPU s', 'graph / end to end'], body)}

${goals}`,
  };
}
