import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markdownTable } from '../../report';
import { QualityBenchError } from '../errors';
import { fixed, goalLine, log, seconds } from '../format';
import { gainRmse, mcarMask, meanImpute, meanSd, roundCategorical, withMissing } from '../gain-protocol';
import { scoreRows, trainArtifact } from '../onnx-path';
import { isHeldOut } from './adbench18';
import type { TaskResult } from './ecg-detection';

export const AUTO_IMPUTE_SETS = [
  'letter', 'spam', '2_annthyroid', '4_breastw', '7_Cardiotocography', '12_fault', '14_glass', '18_Ionosphere', '20_letter',
  '23_mammography', '26_optdigits', '29_Pima', '31_satimage-2', '39_vertebral', '42_WBC', '44_Wilt', '45_wine', '47_yeast', '6_cardio',
  '38_thyroid',
] as const;
const BASELINES = ['mean', 'knn5', 'mice', 'missforest'] as const;
type Baseline = (typeof BASELINES)[number];
const GOALS: Record<string, number> = { letter: 0.07, spam: 0.048 };

interface Table { rows: number; features: number; x: number[] }
interface BaselineEntry { rmse: Partial<Record<Baseline, Record<string, number>>>; seconds: Partial<Record<Baseline, number>> }

export interface ImputationAutoRow {
  set: string;
  rows: number;
  features: number;
  auto: number[];
  /** the TypeScript side's mean imputation: must equal the Python side's (same masks) */
  mean: number[];
  baselines: Partial<Record<Baseline, number[]>>;
  trainMs: number;
  fillMs: number;
}

/** The Python baselines' file (resumed across runs: MissForest takes minutes per set). */
export function baselinesPath(): string {
  return process.env['RESIDUAL_IMPUTE_BASELINES'] ?? join(tmpdir(), 'residual-imputation-auto-baselines.json');
}

function python(args: string[]): void {
  const res = spawnSync('python3', ['bench/python/impute_baselines.py', ...args], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: 'pipe' });
  if (res.status === 3) throw new QualityBenchError(`imputation-auto needs numpy and scikit-learn: ${res.stdout.trim()}`);
  if (res.status !== 0) throw new QualityBenchError(`bench/python/impute_baselines.py exited ${res.status}: ${res.stderr.slice(-500)}`);
}

/**
 * Issue 14: `auto` (task impute, no settings) under the GAIN protocol — 20 % MCAR, seeds as given, trained on
 * the incomplete table and filled through ONNX + scoreTable in mode 'impute', columns with < 20 distinct values
 * rounded, RMSE over the missing cells in min-max units — on letter, spam and the 18 ADBench tables' features,
 * beside mean / kNN-5 / MICE / MissForest from bench/python/impute_baselines.py on the same masks.
 */
export async function imputationAuto(root: string, seeds: readonly number[], only?: string[]): Promise<TaskResult<ImputationAutoRow>> {
  const sets = only ?? [...AUTO_IMPUTE_SETS];
  const dir = mkdtempSync(join(tmpdir(), 'imputation-auto-'));
  let tables: Record<string, Table>;
  try {
    python(['--x', root, join(dir, 'x.json'), ...sets]);
    tables = JSON.parse(readFileSync(join(dir, 'x.json'), 'utf8')) as Record<string, Table>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rows: ImputationAutoRow[] = [];
  for (const set of sets) {
    const t = tables[set]!;
    const truth = Float64Array.from(t.x);
    const w = t.features;
    const columns = Array.from({ length: w }, (_, j) => `x${j}`);
    const row: ImputationAutoRow = { set, rows: t.rows, features: w, auto: [], mean: [], baselines: {}, trainMs: 0, fillMs: 0 };
    for (const seed of seeds) {
      const mask = mcarMask(truth.length, 0.2, seed);
      const incomplete = withMissing(truth, mask);
      row.mean.push(gainRmse(truth, roundCategorical(meanImpute(truth, mask, w), incomplete, mask, w), mask, w));
      const artifact = await trainArtifact('auto', columns, incomplete, { task: 'impute', seed });
      const t0 = Date.now();
      const filled = await scoreRows(artifact, incomplete, 'impute');
      row.fillMs += Date.now() - t0;
      row.trainMs += artifact.trainMs;
      const rmse = gainRmse(truth, roundCategorical(filled.values, incomplete, mask, w), mask, w);
      row.auto.push(rmse);
      const mean = fixed(row.mean.at(-1)!, 4);
      log(`imputation-auto ${set} seed ${seed}: auto ${fixed(rmse, 4)} (train ${seconds(artifact.trainMs)}), mean ${mean}`);
    }
    rows.push(row);
  }
  const path = baselinesPath();
  log(`imputation-auto: Python baselines into ${path}${existsSync(path) ? ' (resuming)' : ''}`);
  python([root, path, seeds.join(','), ...sets]);
  const baselines = JSON.parse(readFileSync(path, 'utf8')) as Record<string, BaselineEntry>;
  for (const row of rows) {
    for (const b of BASELINES) {
      const runs = baselines[row.set]?.rmse[b];
      if (runs && seeds.every((s) => runs[String(s)] !== undefined)) row.baselines[b] = seeds.map((s) => runs[String(s)]!);
    }
    const py = row.baselines.mean;
    if (py && py.some((v, i) => Math.abs(v - row.mean[i]!) > 1e-6)) {
      throw new QualityBenchError(`imputation-auto ${row.set}: the Python and TypeScript masks differ (mean RMSE disagrees)`);
    }
  }
  return { rows, markdown: imputationAutoMarkdown(rows, seeds) };
}

const avg = (a: readonly number[]): number => a.reduce((s, v) => s + v, 0) / a.length;

function imputationAutoMarkdown(rows: ImputationAutoRow[], seeds: readonly number[]): string {
  const cell = (runs: readonly number[] | undefined): string => {
    if (!runs?.length) return '—';
    const { mean, sd } = meanSd(runs);
    return `${fixed(mean, 4)} ± ${fixed(sd, 4)}`;
  };
  const table = markdownTable(
    ['set', 'rows × cols', 'auto', 'mean', 'kNN-5', 'MICE', 'MissForest', 'auto train / fill (all seeds)'],
    rows.map((r) => [
      `${r.set}${isAdbench(r.set) && isHeldOut(r.set) ? ' (held out)' : ''}`, `${r.rows} × ${r.features}`, cell(r.auto), cell(r.mean),
      cell(r.baselines.knn5), cell(r.baselines.mice), cell(r.baselines.missforest), `${seconds(r.trainMs)} / ${seconds(r.fillMs)}`,
    ]),
  );
  const group = (name: string, pick: (r: ImputationAutoRow) => boolean): string => {
    const g = rows.filter(pick);
    if (!g.length) return `- ${name}: no sets run.`;
    const mean = (f: (r: ImputationAutoRow) => number[] | undefined): number =>
      g.every((r) => f(r)?.length) ? avg(g.map((r) => avg(f(r)!))) : NaN;
    const auto = mean((r) => r.auto);
    const base = {
      kNN: mean((r) => r.baselines.knn5), MICE: mean((r) => r.baselines.mice), MissForest: mean((r) => r.baselines.missforest),
    };
    const best = Object.entries(base).filter(([, v]) => Number.isFinite(v)).sort((a, b) => a[1] - b[1])[0];
    const others = Object.entries(base).map(([k, v]) => `${k} ${fixed(v, 4)}`).join(', ');
    return `- ${name} (${g.length} sets): mean RMSE auto ${fixed(auto, 4)}, mean ${fixed(mean((r) => r.mean), 4)}, ${others}` +
      (best ? `; ${auto < best[1] ? 'below' : 'NOT below'} the best baseline (${best[0]} ${fixed(best[1], 4)})` : '');
  };
  const goals = rows
    .filter((r) => GOALS[r.set] !== undefined)
    .map((r) => goalLine(`${r.set} auto RMSE`, avg(r.auto), GOALS[r.set]!, 'lower', 4));
  return `### Imputation, \`auto\` out of the box (issue 14)

GAIN protocol: 20 % of cells missing completely at random (residual's generator, seeds ${seeds.join(', ')}; the Python
side draws the same masks and its mean imputation must agree), \`auto\` with task \`impute\` and no settings trained on the
incomplete table and filling it through ONNX + \`scoreTable\` in mode \`impute\`; columns with < 20 distinct values
rounded; RMSE over the missing cells in the complete data's min-max units (as \`imputation\`). Baselines from
\`bench/python/impute_baselines.py\` (scikit-learn: KNNImputer k = 5, IterativeImputer BayesianRidge max_iter 10,
IterativeImputer ExtraTrees 50 trees max_iter 5). ADBench tables: features only; "held out" = not looked at while
\`auto\` was designed (ADBench number divisible by 3, the rule of \`adbench18\`).

${table}

${group('ADBench, every set run', (r) => isAdbench(r.set))}
${group('ADBench, design sets', (r) => isAdbench(r.set) && !isHeldOut(r.set))}
${group('ADBench, held out', (r) => isAdbench(r.set) && isHeldOut(r.set))}
${goals.join('\n')}`;
}

function isAdbench(set: string): boolean {
  return /^\d+_/.test(set);
}
