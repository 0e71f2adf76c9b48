import * as path from 'path';
import { InputError } from '../../core/errors';
import type { ModelKind } from '../../core/model-kind';
import { storeForUri } from '../../storage/adapters/store-for-uri';
import type { BackendChoice } from '../../training/backend';
import { loadTrainingInput, type StreamingChoice } from '../../training/streaming/load-training-input';
import { readTrainConfig, type TrainConfigFile } from '../../training/train-config';
import { trainModel } from '../../training/train';
import { writeArtifactToStore } from '../../training/write-artifact-to-store';
import { MANIFEST_FILE } from '../../storage/artifact/layout';
import { commandOutput } from '../command-output';
import type { ParsedCommandLine } from '../flags/parse-command-line';
import { signalTrainOptions } from './train-signal';
import { chooseAutoTask, type AutoTask } from '../../training/models/auto-impute/route';
import { seriesSummary } from '../../training/models/auto-impute-series/summary';
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
  const timeColumn = cl.string('time-column') ?? config.timeColumn;
  // a time series to watch may have a flat metric (auto-series warns); a denoiser's flat-line lead is refused
  const denoiser = cl.string('target') !== undefined || cl.string('augment') !== undefined;
  const selection = {
    columns: cl.list('columns') ?? config.columns, exclude: cl.list('exclude') ?? config.exclude, timeColumn,
    timeSeries: timeColumn !== undefined && !denoiser,
    // a gan models every column: a class or label column is what `sample --condition` pins
    labelsAreData: kind === 'gan',
  };
  const data = await loadTrainingInput(source.store, source.location, selection, {
    streaming: cl.string('streaming') as StreamingChoice | undefined,
    windowed: windowSize !== undefined,
    validationSplit: config.validationSplit,
    seed: cl.int('seed') ?? config.seed,
  });
  if (data.droppedColumns.length) out.warn(`train: left out non-numeric column(s) ${data.droppedColumns.join(', ')}\n`);
  const timeSkipped = Object.values(data.timeRejected ?? {}).reduce((a, b) => a + b, 0);
  const badRows = data.rejectedRows - timeSkipped;
  if (badRows) out.warn(`train: skipped ${badRows} row(s) with non-numeric feature values\n`);
  if (timeSkipped) {
    const codes = Object.entries(data.timeRejected!).map(([code, n]) => `${code} ${n}`).join(', ');
    out.warn(`train: skipped ${timeSkipped} row(s) by their time column '${timeColumn}' (${codes})\n`);
  }
  if (data.time && data.time.gaps > 0)
    out.warn(`train: time column '${timeColumn}' has ${data.time.gaps} gap(s) longer than ${data.time.gap_factor} × the median step\n`);
  const signal = await signalTrainOptions(cl, data, windowSize, cl.int('seed') ?? config.seed ?? 42);

  const requested = cl.string('task') as AutoTask | undefined;
  // a denoiser (--target / --augment) is its own task: auto trains the U-Net, neither detector nor imputer
  const route = kind === 'auto' && !denoiser ? chooseAutoTask(data, requested, timeColumn !== undefined) : null;
  if (route) out.note(`auto: ${route.reason}\n`);
  const result = await trainModel({
    kind,
    data,
    name: config.name ?? defaultName(dataUri, kind),
    version: config.version,
    window: windowSize !== undefined ? { size: windowSize, stride: stride ?? 1 } : null,
    epochs: cl.int('epochs') ?? config.epochs,
    // signal denoisers train on few, long windows: smaller batches give more steps per epoch
    batchSize: cl.int('batch-size') ?? config.batchSize ?? (signal.signal ? 32 : undefined),
    seed: cl.int('seed') ?? config.seed,
    threshold: cl.string('threshold') ?? config.threshold,
    backend: cl.required('backend') as BackendChoice,
    learningRate: config.learningRate,
    patience: config.patience,
    validationSplit: config.validationSplit,
    scaler: config.scaler,
    error: config.error,
    modelConfig: config.model,
    timeColumn,
    ...(out.quiet ? { progress: 'none' as const } : {}),
    ...signal,
    ...(route ? { task: route.task } : requested ? { task: requested } : {}),
  });
  // a streamed table's shard files (they also go when the process exits, on an error)
  data.streamed?.dispose();
  const gate = result.manifest.signal?.gate;
  if (gate === 'failed') {
    const v = result.manifest.metrics.validation;
    out.warn(`train: the model fails its morphology gate (SNR near atypical beats ${v['atypical_snr_db']?.toFixed(2)} dB, ` +
      `noisy input ${v['atypical_snr_noisy_db']?.toFixed(2)} dB, over ${v['atypical_beats']} atypical beat(s)); nothing was written\n`);
    result.zoo.dispose();
    return 1;
  }
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
  if (m.imputation) out.note(imputationSummary(m.imputation, m.auto?.['forest']));
  const series = seriesSummary(m.imputation);
  if (series) out.note(series);
  const warnings = m.auto?.['warnings'];
  if (Array.isArray(warnings)) for (const w of warnings) out.warn(`train: ${String(w)}\n`);
  if (m.signal) {
    out.note(`denoiser at ${m.signal.sample_rate} Hz: ${signalSummary(m.metrics.validation)}; morphology gate ${m.signal.gate}\n`);
    const fallback = { filter: 'its filter branch', lowpass: 'the low-pass of its filter branch', identity: 'the noisy input' };
    const kept = m.signal.denoiser;
    if (kept !== undefined && kept !== 'network') {
      out.note(`the network did not beat ${fallback[kept]} on the held-out rows: the model is ${kept === 'identity'
        ? 'the identity (it returns its input)' : 'that filter alone'}\n`);
    }
  }
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

/** The held-out denoising figures, one line (model quality figures, not data values). */
function signalSummary(v: Record<string, number>): string {
  const db = (k: string): string => (v[k] === undefined ? 'n/a' : `${v[k]!.toFixed(2)} dB`);
  return `SNR ${db('snr_db')} (noisy ${db('snr_noisy_db')}), near atypical beats ${db('atypical_snr_db')} ` +
    `(noisy ${db('atypical_snr_noisy_db')}), PRD ${v['prd_percent']?.toFixed(1) ?? 'n/a'} %`;
}

/** What auto chose, one line (no data values: only its settings and the reasons). */
function autoSummary(auto: Record<string, unknown>): string {
  const keys = ['members', 'scaler', 'scaling_reason', 'k', 'reference_rows', 'pca_components', 'threshold_rule', 'members_reason',
    'detector', 'window_reason', 'reference_reason', 'probability_rule'];
  const text = (v: unknown): string => (Array.isArray(v) ? v.join('+') : String(v));
  return keys.filter((k) => auto[k] !== undefined).map((k) => `${k} ${text(auto[k])}`).join('; ');
}

/** The data file's base name as a model name (lower-case, [a-z0-9._-]), or the kind. */
export function defaultName(uri: string, kind: string): string {
  const base = path.posix.basename(uri.replace(/\\/g, '/')).replace(/\.(csv|jsonl)(\.gz)?$|\.parquet$/i, '');
  const name = base.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '');
  return name || kind;
}
