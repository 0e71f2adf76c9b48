import * as tf from '@tensorflow/tfjs';
import { hashTrainingRows } from '../../../core/data-hash';
import { parseManifest, type Manifest } from '../../../core/manifest';
import { calibrateThreshold } from '../../../core/threshold';
import { selectBackend } from '../../backend';
import { TrainingConfigError } from '../../errors';
import { onnxSection } from '../../onnx-export';
import type { ZooModel } from '../types';
import type { TrainOptions, TrainResult } from '../../train';
import { exportSeries } from './export-series';
import { seriesProbability } from './series-probability';
import { fitSeriesDetector, scoreSeriesWindows, trainingWindows, type SeriesDetector } from './series-detector';
import { manifestHeader } from '../../manifest-header';

/**
 * Trains kind 'auto' on a time series (TrainOptions.timeColumn set): the window from the training rows'
 * dominant period (choose-window.ts), every complete training window as a reference (series-detector.ts),
 * the manifest threshold on the leave-one-out scores of the training windows, and the manifest
 * `probability` block (anomaly likelihood, series-probability.ts). No epochs, no validation split; the
 * manifest `auto` block records every choice and why.
 */
export async function trainAutoSeries(options: TrainOptions, started: number, timestampVersion: (d: Date) => string): Promise<TrainResult> {
  const { data } = options;
  const f = data.features.length;
  if (data.target) throw new TrainingConfigError(`model kind 'auto' on a time series cannot train on data.target`);
  if (options.scaler !== undefined && options.scaler !== 'robust') {
    throw new TrainingConfigError(`model kind 'auto' chooses its own robust scaling; scaler '${options.scaler}' is not available for it`);
  }
  if (options.window && options.window.stride !== 1) {
    throw new TrainingConfigError(`model kind 'auto' on a time series uses every window (stride 1), got stride ${options.window.stride}`);
  }
  const backend = await selectBackend(options.backend ?? 'auto');
  const det = fitSeriesDetector(data.values, data.features, options.window?.size);
  const cal = scoreSeriesWindows(det, trainingWindows(data.values, f, det.window)).score;
  const spec = options.threshold ?? 'percentile:99.5';
  const threshold = calibrateThreshold(cal, spec);
  const probability = seriesProbability(cal);
  const rows = data.values.length / f;
  const warnings = det.constant.length
    ? [`constant training values in ${det.constant.length} of ${f} feature(s) (${det.constant.join(', ')}): scale 1, ` +
      'scores there are differences in raw units; any change from the constant scores high']
    : [];
  const config = seriesConfig(det, cal.length);
  const manifest = parseManifest({
    ...manifestHeader('auto', options, timestampVersion),
    training: {
      backend, seed: options.seed ?? 42, epochs: 0, duration_ms: Date.now() - started,
      data_hash: hashTrainingRows(data.features, data.values), data_rows: rows, data_bytes: data.sourceBytes ?? data.values.byteLength,
      config: { threshold: spec, calibration_samples: cal.length, model: config },
    },
    features: data.features,
    layout: 'windows',
    window: { size: det.window, stride: 1 },
    window_input: 'segment',
    scaler: det.scaler,
    score: { error: 'mse' },
    latent_dim: null,
    onnx: segmentOnnxSection(
      onnxSection({ shape: { layout: 'windows', features: f, steps: det.window }, ...det.scaler, error: 'mse' }, null),
    ),
    threshold,
    metrics: {
      validation: {
        loss: meanSquare(cal),
        score_mean: threshold.calibration.mean,
        score_p99: threshold.calibration.quantiles['0.99']!,
        anomaly_rate: cal.filter((s) => s > threshold.value).length / cal.length,
        samples: cal.length,
      },
    },
    auto: {
      ...config,
      window_reason: det.choice.why,
      reference_reason: referenceReason(det),
      score: `mean over the scales (${det.scales.map((c) => c.window).join(', ')} rows) of the RMS over the newest row's observed ` +
        'features of (newest row − last row of the nearest training window of that length at a distance > 0), robust-scaled, ' +
        'divided by the standard deviation of that scale\'s leave-one-out training scores: the error of the newest step ' +
        'given contexts of several lengths, so a k-row spike scores about k rows',
      scales_reason: det.scales.length > 1
        ? `scales w/2, w, 2w of the chosen window w = ${det.choice.window} (a scale needs training rows for 2 of its windows); ` +
          `the graph reads the largest, ${det.window} rows`
        : `one scale: ${det.choice.window === det.window ? 'the window was given' : 'the training rows hold no larger scale'}`,
      threshold_rule: options.threshold ? `given: ${options.threshold}` : 'percentile 99.5 of the training windows\' leave-one-out scores',
      probability_rule: probability.why,
      validation_loss: 'mean squared leave-one-out score of the training windows',
      warnings,
    },
    ...(options.timeColumn ? { time_column: options.timeColumn } : {}),
    probability: probability.spec,
  });
  const onnx = options.exportOnnx === false ? null : exportSeries(det, manifest);
  const zoo = seriesZoo(det, config);
  return { model: zoo.model, zoo, manifest, onnx, extraFiles: {}, history: [], validationScores: cal, backend };
}

/** The segment graph's inputs are [1, L, F] consecutive rows (export-series.ts); its outputs stay per window. */
function segmentOnnxSection(section: Manifest['onnx']): Manifest['onnx'] {
  return { ...section, inputs: section.inputs.map((i) => ({ ...i, shape: [1, 'L', i.shape[i.shape.length - 1]!] })) };
}

function seriesConfig(det: SeriesDetector, calibration: number): Record<string, unknown> {
  const base = det.scales.find((c) => c.window === det.choice.window) ?? det.scales[0]!;
  return {
    detector: `nearest training window at ${det.scales.length} scale(s) (${det.scales.map((c) => c.window).join(', ')} rows), ` +
      'newest-step error',
    window: det.choice.window, period: det.choice.period,
    period_acf: det.choice.acf, reference_windows: base.rows, reference_stride: base.stride, scaler: 'robust, per feature',
    calibration_windows: calibration, graph_window: det.window,
    scales: det.scales.map((c) => ({ window: c.window, reference_windows: c.rows, reference_stride: c.stride, spread: c.spread })),
  };
}

function referenceReason(det: SeriesDetector): string {
  return det.scales.map((c) => c.stride === 1
    ? `${c.window} rows: every complete training window (${c.rows})`
    : `${c.window} rows: every ${c.stride}th complete training window, ${c.rows} (the graph's MatMul grows with them)`).join('; ');
}

function meanSquare(a: Float32Array): number {
  let s = 0;
  for (const v of a) s += v * v;
  return a.length ? s / a.length : 0;
}

/**
 * The TrainResult's model: auto-series has no tf layers (its graph is built from the reference windows), so
 * `model` is an identity model of the window shape and trainStep/evalLoss refuse.
 */
function seriesZoo(det: SeriesDetector, config: Record<string, unknown>): ZooModel {
  const input = tf.input({ shape: [det.window, det.features] });
  const identity = tf.layers.reshape({ targetShape: [det.window, det.features] }).apply(input) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: identity });
  const refuse = (): never => {
    throw new TrainingConfigError('auto on a time series is fitted in one pass; it has no gradient steps');
  };
  return { kind: 'auto', model, head: {}, latentDim: null, config, trainStep: refuse, evalLoss: refuse, dispose: () => model.dispose() };
}
