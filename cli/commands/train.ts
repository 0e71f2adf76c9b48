import * as path from 'path';
import { InputError } from '../../core/errors';
import { isModelKind, MODEL_KINDS } from '../../core/model-kind';
import { storeForUri } from '../../functions/adapters/store-for-uri';
import { BACKEND_CHOICES, type BackendChoice } from '../../training/backend';
import { readTrainingData } from '../../training/read-training-data';
import { readTrainConfig, type TrainConfigFile } from '../../training/train-config';
import { trainModel } from '../../training/train';
import { writeArtifactToStore } from '../../training/write-artifact-to-store';
import { intFlag, parseFlags, stringFlag } from '../args';

export const TRAIN_USAGE = `residual train --data <file|s3://b/k> [--model <kind>] --out <dir|s3://b/prefix>
               [--columns a,b,c] [--exclude label,ts] [--window N --stride S]
               [--epochs N] [--batch-size N] [--seed N] [--threshold percentile:99.5|sigma:3|pot:1e-3]
               [--backend auto|tensorflow|wasm|cpu] [--config file.json]
kinds: ${MODEL_KINDS.join(', ')} (default auto: a kNN + PCA ensemble that configures itself from the data)
--config keys: name, version, epochs, batchSize, seed, learningRate, patience, validationSplit, threshold,
               scaler (standard|minmax|global|robust), error (mse|mae), columns, exclude, window, stride, model {kind options}
Without --columns, training stops with an error naming the columns when more than half of the columns not
excluded are non-numeric, or when a feature looks like a label: named label, target, y, class, is_anomaly,
anomaly or outlier (any case), or constant in the training data. --exclude or --columns says what you mean.`;

const VALUE_FLAGS = ['data', 'model', 'out', 'columns', 'exclude', 'window', 'stride', 'epochs', 'batch-size', 'seed', 'threshold', 'backend', 'config'] as const;

/** `residual train`: reads the data, trains, writes model.onnx + manifest.json to --out. Returns the exit code. */
export async function runTrain(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write(`${TRAIN_USAGE}\n`);
    return 0;
  }
  const flags = parseFlags(argv, { values: VALUE_FLAGS, required: ['data', 'out'] }, 'train');
  const kind = stringFlag(flags, 'model') ?? 'auto';
  if (!isModelKind(kind)) throw new InputError(`--model must be one of ${MODEL_KINDS.join(', ')}, got '${kind}'`);
  const backend = stringFlag(flags, 'backend') ?? 'auto';
  if (!(BACKEND_CHOICES as readonly string[]).includes(backend)) {
    throw new InputError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}, got '${backend}'`);
  }
  const configPath = stringFlag(flags, 'config');
  const config: TrainConfigFile = configPath ? await readTrainConfig(configPath) : {};
  const list = (name: string): string[] | undefined => stringFlag(flags, name)?.split(',').map((s) => s.trim()).filter(Boolean);
  const windowSize = intFlag(flags, 'window') ?? config.window;
  const stride = intFlag(flags, 'stride') ?? config.stride;
  if (stride !== undefined && windowSize === undefined) throw new InputError(`--stride ${stride} needs --window`);

  const dataUri = stringFlag(flags, 'data')!;
  const out = stringFlag(flags, 'out')!;
  const source = storeForUri(dataUri);
  const data = await readTrainingData(source.store, source.location, { columns: list('columns') ?? config.columns, exclude: list('exclude') ?? config.exclude });
  if (data.droppedColumns.length) process.stderr.write(`train: left out non-numeric column(s) ${data.droppedColumns.join(', ')}\n`);
  if (data.rejectedRows) process.stderr.write(`train: skipped ${data.rejectedRows} row(s) with non-numeric feature values\n`);

  const result = await trainModel({
    kind,
    data,
    name: config.name ?? defaultName(dataUri, kind),
    version: config.version,
    window: windowSize !== undefined ? { size: windowSize, stride: stride ?? 1 } : null,
    epochs: intFlag(flags, 'epochs', 0) ?? config.epochs,
    batchSize: intFlag(flags, 'batch-size') ?? config.batchSize,
    seed: intFlag(flags, 'seed', 0) ?? config.seed,
    threshold: stringFlag(flags, 'threshold') ?? config.threshold,
    backend: backend as BackendChoice,
    learningRate: config.learningRate,
    patience: config.patience,
    validationSplit: config.validationSplit,
    scaler: config.scaler,
    error: config.error,
    modelConfig: config.model,
  });
  const target = storeForUri(out);
  await writeArtifactToStore(result, target.store, target.location);
  const m = result.manifest;
  const loss = m.metrics.validation['loss'];
  process.stderr.write(
    `trained ${m.kind} '${m.name}' version ${m.version} on ${m.training.data_rows} rows × ${m.features.length} features ` +
      `in ${(m.training.duration_ms / 1000).toFixed(1)} s (${m.training.backend}, ${m.training.epochs} epochs)\n` +
      `${loss !== undefined ? `validation loss ${loss.toPrecision(4)}, ` : ''}` +
      `threshold ${m.threshold.value.toPrecision(4)} (${m.threshold.method}:${m.threshold.param})\n` +
      `wrote ${out.replace(/\/+$/, '')}/model.onnx and manifest.json\n`,
  );
  if (m.auto) process.stderr.write(`auto chose: ${autoSummary(m.auto)}\n`);
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
