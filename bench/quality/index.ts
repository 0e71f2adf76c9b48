import type { ModelKind } from '../../core/model-kind';
import { isModelKind, MODEL_KINDS } from '../../core/model-kind';
import { machineLine } from '../report';
import { datasetRoot } from './datasets';
import { QualityBenchError } from './errors';
import { log, seconds } from './format';
import type { BenchTrainOptions } from './onnx-path';
import { ADBENCH, DENOISING, ECG_DETECTION, IMPUTATION, quickened } from './plans';
import { adbench } from './tasks/adbench';
import { adbench18, ADBENCH18_KINDS } from './tasks/adbench18';
import { ecgDefaults, ECG_DEFAULT_KINDS } from './tasks/ecg-defaults';
import { autoSpeed } from './tasks/auto-speed';
import { ecgDenoising } from './tasks/ecg-denoising';
import { ecgDetection } from './tasks/ecg-detection';
import { imputation } from './tasks/imputation';
import { nab } from './tasks/nab';
import { ecgSignal } from './tasks/ecg-signal';
import { synthetic, SYNTHETIC_SETS, type SyntheticKind } from './tasks/synthetic';
import { imputationAuto } from './tasks/imputation-auto';
import { imputeSpeed } from './tasks/impute-speed';
import { imputationSeries } from './tasks/imputation-series';

export type QualityTask = 'ecg' | 'imputation' | 'adbench' | 'denoising' | 'adbench18' | 'ecg-defaults' | 'auto-speed' | 'nab' |
  'ecg-signal' | 'synthetic' | 'imputation-auto' | 'impute-speed' | 'imputation-series';
export const QUALITY_TASKS: readonly QualityTask[] = [
  'ecg', 'imputation', 'adbench', 'denoising', 'adbench18', 'ecg-defaults', 'auto-speed', 'nab', 'ecg-signal', 'synthetic',
  'imputation-auto', 'impute-speed', 'imputation-series',
];

export interface QualityBenchOptions {
  /** Dataset root; default RESIDUAL_DATASETS, else ../shared/datasets. */
  datasets?: string;
  /** Model kinds to run (default all; each task runs the ones it reports). */
  kinds?: string[];
  /** A smoke run of a few minutes: a tenth of the epochs, one imputation seed, 500 denoising beats. */
  quick?: boolean;
  /** Tasks to run (default all). */
  tasks?: QualityTask[];
  /**
   * adbench18: the sets to run (default all 18), e.g. ['14_glass', '6_cardio'], or 'design' / 'holdout' (issue 13's halves);
   * nab: 'design' or 'holdout' (even- / odd-indexed files; default all 34).
   */
  sets?: string[];
}

export const IMPUTATION_SEEDS = [1, 2, 3, 4, 5];

/**
 * Runs the quality benchmark (issue 7) through residual's own training (trainModel) and scoring
 * (ONNX + onnxruntime + scoreTable) and returns the markdown section, anchors beside every table.
 */
export async function runQualityBench(options: QualityBenchOptions = {}): Promise<string> {
  const started = Date.now();
  const root = datasetRoot(options.datasets);
  const kinds = selectKinds(options.kinds);
  const tasks = options.tasks ?? QUALITY_TASKS;
  for (const t of tasks)
    if (!QUALITY_TASKS.includes(t)) throw new QualityBenchError(`tasks must be among ${QUALITY_TASKS.join(', ')}, got '${t}'`);
  const quick = options.quick ?? false;
  const q = (o: BenchTrainOptions): BenchTrainOptions => (quick ? quickened(o) : o);
  const pick = <T, U>(table: Partial<Record<ModelKind, T>>, map: (v: T) => U): Map<ModelKind, U> =>
    new Map(kinds.filter((k) => table[k] !== undefined).map((k) => [k, map(table[k]!)] as const));
  const sections: string[] = [];
  const timings: string[] = [];
  const timed = async (name: string, run: () => Promise<string>): Promise<void> => {
    const t0 = Date.now();
    log(`${name}: start`);
    sections.push(await run());
    timings.push(`${name} ${seconds(Date.now() - t0)}`);
  };
  if (tasks.includes('ecg')) await timed('ECG5000 detection', async () => (await ecgDetection(root, pick(ECG_DETECTION, q))).markdown);
  if (tasks.includes('imputation')) {
    const seeds = quick ? IMPUTATION_SEEDS.slice(0, 1) : IMPUTATION_SEEDS;
    await timed(
      'imputation',
      async () =>
        (
          await imputation(
            root,
            pick(IMPUTATION, (p) => ({ letter: q(p.letter), spam: q(p.spam) })),
            seeds,
          )
        ).markdown,
    );
  }
  if (tasks.includes('adbench')) {
    await timed(
      'ADBench',
      async () =>
        (
          await adbench(
            root,
            pick(ADBENCH, (p) => ({ cardio: q(p.cardio), thyroid: q(p.thyroid) })),
          )
        ).markdown,
    );
  }
  if (tasks.includes('adbench18')) {
    const k = options.kinds ? kinds : ADBENCH18_KINDS;
    await timed('ADBench 18 sets', async () => (await adbench18(root, k, options.sets)).markdown);
  }
  if (tasks.includes('ecg-defaults')) {
    await timed('ECG5000 defaults', async () => (await ecgDefaults(root, options.kinds ? kinds : ECG_DEFAULT_KINDS)).markdown);
  }
  if (tasks.includes('auto-speed')) await timed('auto speed', async () => (await autoSpeed()).markdown);
  if (tasks.includes('nab')) await timed('NAB', async () => (await nab(root, options.sets)).markdown);
  if (tasks.includes('ecg-signal')) {
    const sets = options.sets?.length ? options.sets : undefined;
    await timed('ECG signal denoising', async () => (await ecgSignal(root, undefined, sets)).markdown);
  }
  if (tasks.includes('synthetic')) {
    const k = (options.kinds ?? ['gan', 'vae']).filter((x): x is SyntheticKind => x === 'gan' || x === 'vae');
    await timed('synthetic', () => synthetic(root, k, options.sets?.length ? options.sets : SYNTHETIC_SETS));
  }
  if (tasks.includes('imputation-auto')) {
    const seeds = quick ? IMPUTATION_SEEDS.slice(0, 1) : IMPUTATION_SEEDS;
    await timed('imputation auto', async () => (await imputationAuto(root, seeds, options.sets)).markdown);
  }
  if (tasks.includes('impute-speed')) await timed('impute speed', async () => (await imputeSpeed()).markdown);
  if (tasks.includes('imputation-series')) {
    // --sets: design, held-out, ecg or part of a NAB file name
    await timed('imputation series', async () => (await imputationSeries(root, 1, options.sets)).markdown);
  }
  if (tasks.includes('denoising'))
    await timed('ECG denoising', async () => (await ecgDenoising(root, pick(DENOISING, q), quick ? 500 : undefined)).markdown);
  return `## Quality (\`npm run bench:quality\`${quick ? ', quick smoke run: a tenth of the epochs — not the reported numbers' : ''})

${machineLine()} Wall time ${seconds(Date.now() - started)} (${timings.join(', ')}). Models are trained with
residual's \`trainModel\` (tfjs), exported to ONNX by residual's exporter and scored with onnxruntime-node through
\`scoreTable\`, the transform behind \`residual score\` and the Lambda. Seeds are fixed; every tuning choice used
validation data only (\`bench/quality/plans.ts\`).

${sections.join('\n\n')}
`;
}

function selectKinds(kinds?: string[]): ModelKind[] {
  if (!kinds) return [...MODEL_KINDS];
  const bad = kinds.filter((k) => !isModelKind(k));
  if (bad.length)
    throw new QualityBenchError(`kinds must be model kinds (${MODEL_KINDS.join(', ')}); got ${bad.map((k) => `'${k}'`).join(', ')}`);
  return kinds as ModelKind[];
}
