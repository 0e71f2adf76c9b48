import type { ModelKind } from '../../../core/model-kind';
import { markdownTable } from '../../report';
import { frac, goalLine, seconds } from '../format';
import { ecgDetection, type DetectionRow, type TaskResult } from './ecg-detection';

export const ECG_DEFAULT_KINDS: readonly ModelKind[] = ['auto', 'dense-ae', 'vae', 'pca'];

/** ECG5000 detection (as ecg-detection.ts) with every kind at trainModel's defaults: no plan, no threshold setting. */
export async function ecgDefaults(root: string, kinds: readonly ModelKind[] = ECG_DEFAULT_KINDS): Promise<TaskResult<DetectionRow>> {
  const { rows } = await ecgDetection(root, new Map(kinds.map((k) => [k, {}] as const)));
  const table = markdownTable(
    ['model (defaults)', 'ROC-AUC', 'accuracy', 'precision', 'recall', 'F1', 'threshold (manifest)', 'train time'],
    rows.map((r) => [
      `residual \`${r.kind}\``, frac(r.auc), frac(r.accuracy), frac(r.precision), frac(r.recall), frac(r.f1), r.threshold,
      seconds(r.trainMs),
    ]),
  );
  const auto = rows.find((r) => r.kind === 'auto');
  const goals = auto
    ? [
      goalLine('`auto` ROC-AUC', auto.auc, 0.99, 'higher'), goalLine('`auto` accuracy at is_anomaly', auto.accuracy, 0.97, 'higher'),
    ].join('\n')
    : '';
  return {
    rows,
    markdown: `### ECG5000 detection with defaults (\`--tasks ecg-defaults\`)

Trained on TRAIN's normal beats with no settings at all (\`residual train\` defaults), scored on TEST_binary through
ONNX + \`scoreTable\`; accuracy etc. at the manifest threshold (\`is_anomaly\`).

${table}

${goals}`,
  };
}
