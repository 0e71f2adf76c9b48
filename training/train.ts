import * as tf from '@tensorflow/tfjs';
import type { Manifest } from '../core/manifest';
import { parseManifest } from '../core/manifest';
import type { ModelKind } from '../core/model-kind';
import { isModelKind } from '../core/model-kind';
import { Rng } from '../core/rng';
import { fitScaler, type ScalerKind, type ScalerParams } from '../core/scaler';
import { calibrateThreshold, parseThresholdSpec } from '../core/threshold';
import { tailSpecFromScores } from '../core/probability';
import { hashTrainingRows } from '../core/data-hash';
import { selectBackend, type BackendChoice } from './backend';
import { prepareSamples, splitSamples, withTarget } from './dataset';
import { TrainingConfigError, TrainingFailedError } from './errors';
import { runTrainingLoop, type EpochHistory } from './loop';
import { modelDefinition } from './models';
import type { Layout, ZooModel } from './models/types';
import { DECODER_FILE, exportDecoder, exportModel, onnxSection, type HeadSpec } from './onnx-export';
import { VariationalAutoencoder } from './models/vae';
import { createProgress, type ProgressMode } from './progress';
import { scoreSamples, type ErrorKind } from './score';
import { trainAuto } from './models/auto/train-auto';
import type { StreamedRows } from './streaming/stream-training-rows';
import { streamedSamples } from './streaming/streamed-samples';
import { trainAutoSeries } from './models/auto-series/train-auto-series';
import type { SignalTrainOptions } from './signal-denoiser';
import { autoDenoiserConfig } from './models/auto-denoiser';
import { trainGan } from './gan/train-gan';
import { profileColumns } from '../core/synthesis/column-transform';
import { trainAutoImpute } from './models/auto-impute/train-auto-impute';
import { trainAutoImputeSeries } from './models/auto-impute-series/train-auto-impute-series';
import type { AutoTask } from './models/auto-impute/route';
import { manifestHeader } from './manifest-header';

/** Training data: feature names and row-major float32 values [rows × features], NaN = missing. */
export interface TrainingData {
  features: string[];
  values: Float32Array;
  /** Size of the source the rows came from (recorded in the manifest); default values.byteLength. */
  sourceBytes?: number;
  /**
   * Clean targets, same shape as `values` (NaN = missing): the model learns values → target (a denoiser
   * trained on noisy → clean pairs). Scaled with the scaler fitted on `values`; the exported model is
   * unchanged (its reconstruction is the denoised signal). Kinds without ZooModel.acceptsTarget refuse it.
   */
  target?: Float32Array;
  /**
   * The table read by training/streaming (then `values` is empty): scaler statistics, data hash and samples from
   * one streaming pass, training rows in shuffled shards on disk; epochs read one shard at a time (rows layout).
   */
  streamed?: StreamedRows;
  /** Epoch ms of each row's time-column cell (the time column's reader fills it); the series imputer interpolates in it. */
  times?: Float64Array;
}

export interface TrainOptions {
  kind: ModelKind;
  data: TrainingData;
  /** Model name (manifest `name`); default the kind. */
  name?: string;
  /** Model version; default a UTC timestamp `YYYYMMDDTHHMMSSZ`. */
  version?: string;
  /** Sliding windows (layout 'windows'); without it the layout is 'rows'. */
  window?: { size: number; stride: number } | null;
  epochs?: number;
  batchSize?: number;
  seed?: number;
  learningRate?: number;
  /** Early-stopping patience in epochs (default 10). */
  patience?: number;
  /** Fraction of samples held out for validation and threshold calibration (default 0.2). */
  validationSplit?: number;
  /** `percentile:99.5` (default), `sigma:3` or `pot:1e-3`. */
  threshold?: string;
  scaler?: ScalerKind;
  error?: ErrorKind;
  backend?: BackendChoice;
  /** Kind-specific hyper-parameters (e.g. { hidden: 64, latent: 8 }). */
  modelConfig?: Record<string, unknown>;
  progress?: ProgressMode;
  /** Export ONNX (default true). */
  exportOnnx?: boolean;
  /** The data's time column (manifest `time_column`): never a feature; the caller leaves it out of `data`; with kind 'auto'
   * it selects the time-series detector. */
  timeColumn?: string;
  /**
   * A continuous-signal denoiser (training/signal-denoiser.ts): recorded in manifest.signal; its evaluate()
   * runs the morphology gate on held-out rows and adds its figures to metrics.validation.
   */
  signal?: SignalTrainOptions;
  /**
   * kind 'auto' only: 'detect' (default here) builds the detector, 'impute' the imputer
   * (training/models/auto-impute); the CLI and lib choose from the data when the user does not say.
   */
  task?: AutoTask;
}

export interface TrainResult {
  model: tf.LayersModel;
  /** The model with its training-side state (optimizers, GAIN's discriminator); dispose() frees all. */
  zoo: ZooModel;
  manifest: Manifest;
  /** model.onnx bytes (null only when exportOnnx was false). */
  onnx: Uint8Array | null;
  /**
   * Further files of the artifact, by file name: for 'vae', `decoder.onnx` (input `z` [N, latent_dim] →
   * output scaled samples [N, F] or [N, T, F]; raw = scaled · scale + offset), used by `residual sample`.
   */
  extraFiles: Record<string, Uint8Array>;
  history: EpochHistory[];
  validationScores: Float32Array;
  backend: string;
}

/**
 * Trains one model end to end: backend, scaler, samples, train/validation split, the training loop with
 * early stopping, threshold calibration on validation scores (computed as the ONNX head computes them),
 * the manifest (validated by parseManifest) and the ONNX export.
 */
export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  const started = Date.now();
  const { kind, data } = options;
  if (!isModelKind(kind)) throw new TrainingConfigError(`kind must be a model kind, got '${String(kind)}'`);
  const F = data.features.length;
  if (F === 0) throw new TrainingConfigError('data.features is empty');
  if (data.values.length % F !== 0)
    throw new TrainingConfigError(`data.values length ${data.values.length} is not a multiple of ${F} features`);
  // with noisy → clean pairs on windows, auto is the denoiser: the per-lead U-Net of auto-denoiser.ts
  if (kind === 'auto' && data.target && options.window)
    return trainModel({
      ...options, kind: 'conv1d-ae', task: undefined,
      modelConfig: autoDenoiserConfig(data.values, data.target, F, options.signal
        ? { sampleRate: options.signal.sampleRate, window: options.window.size, hop: options.signal.hop } : null, options.modelConfig),
    });
  if (options.task !== undefined && kind !== 'auto') throw new TrainingConfigError(`task is for model kind 'auto', got '${kind}'`);
  // auto fits on rows in memory: a streamed table gives it its uniform sample of the training rows
  const autoInput = () => (data.streamed ? { ...options, data: streamedSample(data) } : options);
  // with a time column the imputer fills along time (training/models/auto-impute-series); it needs the rows in order, in memory
  if (kind === 'auto' && options.task === 'impute' && options.timeColumn && !data.streamed)
    return trainAutoImputeSeries(options, started, timestampVersion);
  if (kind === 'auto' && options.task === 'impute') return trainAutoImpute(autoInput(), started, timestampVersion);
  if (kind === 'auto' && options.timeColumn) return trainAutoSeries(options, started, timestampVersion);
  if (kind === 'auto') return trainAuto(autoInput(), started, timestampVersion);
  if (kind === 'gan') return trainGan(options, started, timestampVersion);
  const seed = options.seed ?? 42;
  const epochs = options.epochs ?? 100;
  const batchSize = options.batchSize ?? 128;
  const learningRate = options.learningRate ?? 1e-3;
  const patience = options.patience ?? 10;
  const validationSplit = options.validationSplit ?? 0.2;
  const thresholdSpec = options.threshold ?? 'percentile:99.5';
  const error = options.error ?? 'mse';
  const scalerKind = options.scaler ?? 'standard';
  parseThresholdSpec(thresholdSpec);
  checkPositiveInt('epochs', epochs, 0);
  checkPositiveInt('batchSize', batchSize, 1);
  const def = modelDefinition(kind);
  const window = options.window ?? null;
  const layout: Layout = window ? 'windows' : 'rows';
  if (!def.layouts.includes(layout))
    throw new TrainingConfigError(`model kind '${kind}' does not support layout '${layout}' (supports ${def.layouts.join(', ')})`);

  const backend = await selectBackend(options.backend ?? 'auto');
  const rng = new Rng(seed);
  const streamed = data.streamed;
  if (streamed && (layout !== 'rows' || data.target)) {
    throw new TrainingConfigError('a streamed table trains the rows layout only, without a target');
  }
  const scaler = streamed ? streamed.stats.scaler(scalerKind, streamed.sample) : fitScaler(data.values, F, scalerKind);
  if (data.target && data.target.length !== data.values.length) {
    throw new TrainingConfigError(`data.target length ${data.target.length} differs from data.values length ${data.values.length}`);
  }
  const inMemory = () => {
    const inputs = prepareSamples(data.values, F, scaler, layout, window);
    const all = data.target ? withTarget(inputs, prepareSamples(data.target, F, scaler, layout, window)) : inputs;
    const split = splitSamples(all, validationSplit, rng.fork());
    return { ...split, fitRows: split.train, shape: all.shape };
  };
  const { train, validation, fitRows, shape } = streamed ? streamedSplit(streamed, scaler) : inMemory();
  const samples = { shape };

  const zm = modelDefinition(kind).build({ shape: samples.shape, rng: rng.fork(), config: options.modelConfig ?? {}, learningRate });
  try {
    if (data.target && !zm.acceptsTarget)
      throw new TrainingConfigError(
        `model kind '${kind}' cannot train on data.target (kinds that can: dense-ae, sparse-ae, denoising-ae, conv1d-ae, lstm-ae)`,
      );
    let history: EpochHistory[] = [];
    let trainedEpochs = 0;
    if (zm.fitClosedForm) {
      zm.fitClosedForm(fitRows.x, fitRows.mask, fitRows.count);
    } else {
      const progress = createProgress({ mode: options.progress ?? 'auto', label: `train ${kind}` });
      const loop = runTrainingLoop(zm, train, validation, { epochs, batchSize, patience, rng: rng.fork(), progress });
      history = loop.history;
      trainedEpochs = loop.history.length;
    }
    const validationScores = scoreSamples(zm, validation, error);
    if (validationScores.some((s) => !Number.isFinite(s))) throw new TrainingFailedError('validation scores contain non-finite values');
    const threshold = calibrateThreshold(validationScores, thresholdSpec);
    const head: HeadSpec = { ...zm.head, shape: samples.shape, offset: scaler.offset, scale: scaler.scale, error };
    const last = history[history.length - 1];
    const signal = options.signal?.evaluate(zm, scaler);
    const bestVal = history.length ? Math.min(...history.map((h) => h.valLoss)) : meanOf(validationScores);
    const manifest = parseManifest({
      ...manifestHeader(kind, options, timestampVersion),
      training: {
        backend,
        seed,
        epochs: trainedEpochs,
        duration_ms: Date.now() - started,
        data_hash: streamed?.dataHash ?? hashTrainingRows(data.features, data.values),
        data_rows: streamed?.rows ?? data.values.length / F,
        data_bytes: data.sourceBytes ?? data.values.byteLength,
        config: {
          batch_size: batchSize, max_epochs: epochs, learning_rate: learningRate, patience,
          validation_split: validationSplit, threshold: thresholdSpec, train_samples: train.count,
          validation_samples: validation.count, model: zm.config,
        },
      },
      features: data.features,
      layout,
      window,
      scaler,
      score: { error },
      latent_dim: zm.head.latentLayer ? zm.latentDim : null,
      onnx: onnxSection(head, zm.head.latentLayer ? zm.latentDim : null),
      threshold,
      metrics: {
        validation: {
          loss: bestVal,
          ...(last ? { final_train_loss: last.loss } : {}),
          score_mean: threshold.calibration.mean,
          score_p99: threshold.calibration.quantiles['0.99'],
          anomaly_rate: validationScores.filter((s) => s > threshold.value).length / validationScores.length,
          samples: validation.count,
          ...signal?.figures,
        },
      },
      ...(options.timeColumn ? { time_column: options.timeColumn } : {}),
      probability: tailSpecFromScores(validationScores, threshold.value),
      ...(options.signal && signal ? {
        signal: {
          sample_rate: options.signal.sampleRate, denoise_hop: options.signal.hop,
          ...(options.signal.augment !== undefined ? { augment: options.signal.augment } : {}), gate: signal.gate,
          ...(signal.denoiser ? { denoiser: signal.denoiser } : {}),
        },
      } : {}),
      ...(kind === 'vae' ? { synthesis: profileColumns(data.values, data.features) } : {}),
    });
    const onnx = options.exportOnnx === false ? null : exportModel(zm.model, head, manifest);
    const extraFiles: Record<string, Uint8Array> = {};
    if (onnx && zm instanceof VariationalAutoencoder) extraFiles[DECODER_FILE] = exportDecoder(zm.decoder, manifest);
    return { model: zm.model, zoo: zm, manifest, onnx, extraFiles, history, validationScores, backend };
  } catch (err) {
    zm.dispose();
    throw err;
  }
}

/** A streamed table's training feed (shards), validation sample, and the training-rows sample closed-form kinds fit on. */
function streamedSplit(streamed: StreamedRows, scaler: ScalerParams) {
  const { train, validation, sample } = streamedSamples(streamed, scaler);
  return { train, validation, fitRows: sample, shape: validation.shape };
}

/** A streamed table as rows in memory: its uniform sample of the training rows. */
function streamedSample(data: TrainingData): TrainingData {
  const { streamed, ...rest } = data;
  return { ...rest, values: streamed!.sample, sourceBytes: data.sourceBytes ?? streamed!.sourceBytes };
}

function checkPositiveInt(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new TrainingConfigError(`${name} must be an integer >= ${min}, got ${v}`);
}

function meanOf(a: Float32Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s / a.length;
}

/** `YYYYMMDDTHHMMSSZ` in UTC. */
export function timestampVersion(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}
