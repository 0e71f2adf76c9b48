import { rocAuc } from '../../../core/metrics';
import type { ModelKind } from '../../../core/model-kind';
import { markdownTable } from '../../report';
import { readAdbench } from '../datasets';
import { frac, goalLine, log, seconds } from '../format';
import { scoreRows, trainArtifact, type BenchTrainOptions } from '../onnx-path';
import { stratifiedSplit, takeRows } from '../split';
import type { TaskResult } from './ecg-detection';

export const ADBENCH_SPLIT_SEED = 42;

interface AdbenchSet {
  name: 'cardio' | 'thyroid';
  file: string;
  anchors: { iforest: number; pca: number };
  goal: number;
}

export const ADBENCH_SETS: readonly AdbenchSet[] = [
  { name: 'cardio', file: '6_cardio.csv', anchors: { iforest: 0.923, pca: 0.781 }, goal: 0.95 },
  { name: 'thyroid', file: '38_thyroid.csv', anchors: { iforest: 0.978, pca: 0.803 }, goal: 0.98 },
];

export interface AdbenchRow {
  kind: ModelKind;
  auc: Record<string, number>;
  trainMs: Record<string, number>;
}

/** Per-set training options for one kind. */
export type AdbenchPlans = ReadonlyMap<ModelKind, Record<string, BenchTrainOptions>>;

/**
 * ADBench cardio and thyroid: a stratified 60/40 split (seed 42); each kind is fitted on the training
 * part's features only (anomalies included, labels unused) and scores the test part through ONNX +
 * scoreTable; ROC-AUC of `anomaly_score` against y.
 */
export async function adbench(root: string, plans: AdbenchPlans): Promise<TaskResult<AdbenchRow>> {
  const rows = new Map<ModelKind, AdbenchRow>();
  const sizes: string[] = [];
  for (const set of ADBENCH_SETS) {
    const data = readAdbench(root, set.file);
    const width = data.features.length;
    const split = stratifiedSplit(data.labels, 0.6, ADBENCH_SPLIT_SEED);
    const fit = takeRows(data.values, width, split.train);
    const test = takeRows(data.values, width, split.test);
    const labels = Int32Array.from(split.test, (r) => data.labels[r]!);
    sizes.push(
      `${set.name} ${data.rows} × ${width} (train ${split.train.length}, test ${split.test.length}, ` +
        `${labels.reduce((s, l) => s + l, 0)} test anomalies)`,
    );
    for (const [kind, perSet] of plans) {
      const artifact = await trainArtifact(kind, data.features, fit, perSet[set.name] ?? {});
      const scored = await scoreRows(artifact, test, 'detect');
      const row = rows.get(kind) ?? { kind, auc: {}, trainMs: {} };
      row.auc[set.name] = rocAuc(scored.scores, labels);
      row.trainMs[set.name] = artifact.trainMs;
      rows.set(kind, row);
      log(`adbench ${set.name} ${kind}: AUC ${frac(row.auc[set.name]!)} (${seconds(artifact.trainMs)}, ${artifact.epochs} epochs)`);
    }
  }
  return { rows: [...rows.values()], markdown: adbenchMarkdown([...rows.values()], sizes) };
}

function adbenchMarkdown(rows: AdbenchRow[], sizes: string[]): string {
  const names = ADBENCH_SETS.map((s) => s.name);
  const table = markdownTable(
    ['model', ...names.map((n) => `${n} ROC-AUC`), 'train time'],
    [
      ...rows.map((r) => [
        `residual \`${r.kind}\``,
        ...names.map((n) => frac(r.auc[n] ?? NaN)),
        names.map((n) => seconds(r.trainMs[n] ?? 0)).join(' / '),
      ]),
      ['IForest (anchor, measured)', ...ADBENCH_SETS.map((s) => frac(s.anchors.iforest)), '—'],
      ['PCA, half the components, standardised (anchor, measured)', ...ADBENCH_SETS.map((s) => frac(s.anchors.pca)), '—'],
    ],
  );
  const goals = ADBENCH_SETS.map((s) => {
    const best = [...rows].sort((a, b) => (b.auc[s.name] ?? -1) - (a.auc[s.name] ?? -1))[0];
    return best
      ? goalLine(`${s.name} best ROC-AUC`, best.auc[s.name] ?? NaN, s.goal, 'higher', 3, best.kind)
      : `- ${s.name}: no kinds were run.`;
  });
  return `### ADBench cardio and thyroid

Stratified 60/40 split (seed ${ADBENCH_SPLIT_SEED}); each kind is fitted on the training part without labels
(its anomalies included), then scores the test part through ONNX + \`scoreTable\`. ${sizes.join('; ')}.
On thyroid, \`dense-ae\` trains with a trimmed loss (the 5 % of samples with the largest error left out of each
batch and of the early-stopping loss, against the anomalies in the training part) and a 1-unit code; settings in
\`bench/quality/plans.ts\`.

${table}

Goals: cardio ≥ .95, thyroid ≥ .98.
${goals.join('\n')}`;
}
