import * as path from 'path';
import { InputError } from '../../core/errors';
import type { ModelKind } from '../../core/model-kind';
import { storeForUri } from '../../storage/adapters/store-for-uri';
import type { BackendChoice } from '../../training/backend';
import { readTrainingData } from '../../training/read-training-data';
import { readTrainConfig, type TrainConfigFile } from '../../training/train-config';
import { trainModel } from '../../training/train';
import { writeArtifactToStore } from '../../training/write-artifact-to-store';
import { MANIFEST_FILE } from '../../storage/artifact/layout';
import { commandOutput } from '../command-output';
import type { ParsedCommandLine } from '../flags/parse-command-line';
import { chooseAutoTask, type AutoTask } from '../../training/models/auto-impute/route';
import { imputationSummary } from '../../training/models/auto-impute/summary';

/** `residual train`: reads the data, trains, writes model.onnx + manifest.json to --out. Returns the exit code. */
export async function runTrain(cl: ParsedCommandLine): Promise<number> {
  const out = commandOutput(cl);
  const kind = cl.required('model') as ModelKind;
  const configPath = cl.string('config');
  const config: TrainConfigFile = configPath ? await readTrainConfig(configPath) : {};
  const windowSize = cl.int('window') ?? config.window;
  const stride = cl.int('stride') ?? config.stride;
  if (stride !== undefined && windowSize === undefined) throw new InputError(`--stride ${stride} needs --window`);

  const dataUri = cl.required('data');
  const target = cl.required('out');
  const source = storeForUri(dataUri);
  const data = await readTrainingData(source.store, source.location, {
    columns: cl.list('columns') ?? config.columns,
    exclude: cl.list('exclude') ?? config.exclude,
  });
  if (data.droppedColumns.length) out.warn(`train: left out non-numeric column(s) ${data.droppedColumns.join(', ')}\n`);
  if (data.rejectedRows) out.warn(`train: skipped ${data.rejectedRows} row(s) with non-numeric feature values\n`);

  const requested = cl.string('task') as AutoTask | undefined;
  const route = kind === 'auto' ? chooseAutoTask(data, requested) : null;
  if (route) out.note(`auto: ${route.reason}\n`);
  const result = await trainModel({
    kind,
    data,
    name: config.name ?? defaultName(dataUri, kind),
    version: config.version,
    window: windowSize !== undefined ? { size: windowSize, stride: stride ?? 1 } : null,
    epochs: cl.int('epochs') ?? config.epochs,
    batchSize: cl.int('batch-size') ?? config.batchSize,
    seed: cl.int('seed') ?? config.seed,
    threshold: cl.string('threshold') ?? config.threshold,
    backend: cl.required('backend') as BackendChoice,
    learningRate: config.learningRate,
    patience: config.patience,
    validationSplit: config.validationSplit,
    scaler: config.scaler,
    error: config.error,
    modelConfig: config.model,
    ...(out.quiet ? { progress: 'none' as const } : {}),
    ...(route ? { task: route.task } : requested ? { task: requested } : {}),
  });
  const written = storeForUri(target);
  await writeArtifactToStore(result, written.store, written.location);
  const m = result.manifest;
  const loss = m.metrics.validation['loss'];
  const folder = target.replace(/\/+$/, '');
  out.note(
    `trained ${m.kind} '${m.name}' version ${m.version} on ${m.training.data_rows} rows × ${m.features.length} features ` +
      `in ${(m.training.duration_ms / 1000).toFixed(1)} s (${m.training.backend}, ${m.training.epochs} epochs)\n` +
      `${loss !== undefined ? `validation loss ${loss.toPrecision(4)}, ` : ''}` +
      `threshold ${m.threshold.value.toPrecision(4)} (${m.threshold.method}:${m.threshold.param})\n` +
      `wrote ${folder}/${m.onnx.file} and ${MANIFEST_FILE}\n`,
  );
  if (m.auto && !m.imputation) out.note(`auto chose: ${autoSummary(m.auto)}\n`);
  if (m.imputation) out.note(imputationSummary(m.imputation));
  if (out.json) {
    const { config: _config, ...training } = m.training;
    process.stdout.write(`${JSON.stringify({
      model: target, name: m.name, version: m.version, kind: m.kind, features: m.features, threshold: m.threshold,
      validation: m.metrics.validation, training, files: [`${folder}/${m.onnx.file}`, `${folder}/${MANIFEST_FILE}`],
      ...(m.imputation ? { imputation: m.imputation } : {}),
    })}\n`);
  }
  result.zoo.dispose();
  return 0;
}

/** What auto chose, one line (no data values: only its settings and the reasons). */
function autoSummary(auto: Record<string, unknown>): string {
  const keys = ['members', 'scaler', 'scaling_reason', 'k', 'reference_rows', 'pca_components', 'threshold_rule'];
  const text = (v: unknown): string => (Array.isArray(v) ? v.join('+') : String(v));
  return keys.filter((k) => auto[k] !== undefined).map((k) => `${k} ${text(auto[k])}`).join('; ');
}

/** The data file's base name as a model name (lower-case, [a-z0-9._-]), or the kind. */
export function defaultName(uri: string, kind: string): string {
  const base = path.posix.basename(uri.replace(/\\/g, '/')).replace(/\.(csv|jsonl)(\.gz)?$|\.parquet$/i, '');
  const name = base.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '');
  return name || kind;
}
