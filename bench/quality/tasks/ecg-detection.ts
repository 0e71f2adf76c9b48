import { confusion, rocAuc } from '../../../core/metrics';
import type { ModelKind } from '../../../core/model-kind';
import { markdownTable } from '../../report';
import { readEcgTestBinary, readEcgTrain } from '../datasets';
import { frac, goalLine, log, seconds } from '../format';
import { scoreRows, trainArtifact, type BenchTrainOptions } from '../onnx-path';
import { takeRows } from '../split';

export interface DetectionRow {
  kind: ModelKind;
  auc: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  threshold: string;
  trainMs: number;
}

export interface TaskResult<R> {
  rows: R[];
  markdown: string;
}

/**
 * ECG5000 anomaly detection: every kind is trained with trainModel on the normal beats (class 1) of
 * ECG5000_TRAIN.txt only (its own validation split calibrates the manifest threshold), exported to
 * ONNX, and scores ECG5000_TEST_binary.csv through scoreTable; label 0 (abnormal) is the positive class.
 */
export async function ecgDetection(root: string, plans: ReadonlyMap<ModelKind, BenchTrainOptions>): Promise<TaskResult<DetectionRow>> {
  const train = readEcgTrain(root);
  const test = readEcgTestBinary(root);
  const normal: number[] = [];
  for (let r = 0; r < train.rows; r++) if (train.labels[r] === 1) normal.push(r);
  const fit = takeRows(train.values, train.features.length, normal);
  const positives = Int32Array.from(test.labels, (l) => (l === 0 ? 1 : 0));
  const rows: DetectionRow[] = [];
  for (const [kind, options] of plans) {
    const artifact = await trainArtifact(kind, train.features, fit, options);
    const scored = await scoreRows(artifact, test.values, 'detect');
    const c = confusion(scored.flags, positives);
    const t = artifact.manifest.threshold;
    const row: DetectionRow = {
      kind, auc: rocAuc(scored.scores, positives), accuracy: c.accuracy, precision: c.precision, recall: c.recall, f1: c.f1,
      threshold: `${t.method}:${t.param}`, trainMs: artifact.trainMs,
    };
    log(
      `ecg5000 ${kind}: AUC ${frac(row.auc)} acc ${frac(row.accuracy)} P ${frac(row.precision)} R ${frac(row.recall)} ` +
        `(${seconds(row.trainMs)}, ${artifact.epochs} epochs)`,
    );
    rows.push(row);
  }
  return { rows, markdown: detectionMarkdown(rows, normal.length, test.rows) };
}

function detectionMarkdown(rows: DetectionRow[], trainRows: number, testRows: number): string {
  const table = markdownTable(
    ['model', 'ROC-AUC', 'accuracy', 'precision', 'recall', 'F1', 'threshold (manifest)', 'train time'],
    [
      ...rows.map((r) => [
        `residual \`${r.kind}\``,
        frac(r.auc),
        frac(r.accuracy),
        frac(r.precision),
        frac(r.recall),
        frac(r.f1),
        r.threshold,
        seconds(r.trainMs),
      ]),
      ['TensorFlow AE tutorial (published)', '—', '.944', '.992', '.907', '.948', 'mean + 1 sd (train)', '—'],
      ['PyTorch dense AE 140-32-16-8 (anchor, measured)', '.985', '.946', '.888', '.996', '.939', 'mean + 1 sd', '—'],
      ['PCA, 4 components (anchor, measured)', '.986', '—', '—', '—', '—', '—', '—'],
    ],
  );
  const best = [...rows].sort((a, b) => b.auc - a.auc)[0];
  const bestAcc = [...rows].sort((a, b) => b.accuracy - a.accuracy)[0];
  const goals =
    best && bestAcc
      ? [
          goalLine('best ROC-AUC', best.auc, 0.99, 'higher', 3, best.kind),
          goalLine('best accuracy', bestAcc.accuracy, 0.98, 'higher', 3, bestAcc.kind),
        ].join('\n')
      : '- no kinds were run.';
  return `### ECG5000 anomaly detection

Trained on the ${trainRows} normal beats of \`ECG5000_TRAIN.txt\` (each kind holds out its own 20 % validation split,
which calibrates the manifest threshold); scored on the ${testRows} beats of \`ECG5000_TEST_binary.csv\` through
ONNX + \`scoreTable\` (\`residual score --mode detect\`). Positive = abnormal (label 0). Accuracy, precision, recall
and F1 are at the manifest's threshold (\`is_anomaly\`). All kinds but \`lstm-ae\` scale beats with one offset and
scale for all 140 samples (\`scaler: 'global'\`, so a beat keeps its shape); model and threshold settings in
\`bench/quality/plans.ts\`, chosen on TRAIN only.

${table}

Goal: ROC-AUC ≥ .99 and accuracy ≥ .98 for the best kind.
${goals}`;
}
