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
import {
  fitSeriesDetector, MAX_SEASONAL_PERIOD, SEASONAL_WEIGHT, scoreSeriesWindows, trainingWindows, type SeriesDetector,
} from './series-detector';
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
      score: scoreRule(det),
      scales_reason: det.scales.length > 1
        ? `scales w/2, w, 2w of the chosen window w = ${det.choice.window} (a scale needs training rows for 2 of its windows)`
        : `one scale: ${det.choice.window === det.window ? 'the window was given' : 'the training rows hold no larger scale'}`,
      seasonal_reason: seasonalReason(det),
      weights_reason: weightsReason(det),
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
      `newest-step error${det.seasonal ? `, plus the row ${det.seasonal.period} rows back` : ''}`,
    window: det.choice.window, period: det.choice.period,
    period_acf: det.choice.acf, reference_windows: base.rows, reference_stride: base.stride, scaler: 'robust, per feature',
    calibration_windows: calibration, graph_window: det.window,
    scales: det.scales.map((c) => ({
      window: c.window, reference_windows: c.rows, reference_stride: c.stride, spread: c.spread, weight: c.weight,
    })),
    seasonal: det.seasonal ? { period: det.seasonal.period, spread: det.seasonal.spread, weight: det.seasonal.weight } : null,
  };
}

function scoreRule(det: SeriesDetector): string {
  return `weighted sum (weights in scales[].weight${det.seasonal ? ' and seasonal.weight' : ''}, sum 1) over the members of ` +
    'the RMS over the newest row\'s observed features of its error, robust-scaled, divided by the standard deviation of ' +
    'that member\'s training scores. Members: the nearest-window scales ' +
    `(${det.scales.map((c) => c.window).join(', ')} rows), error = newest row − last row of the nearest training window of ` +
    'that length at a distance > 0 (leave-one-out on training rows)' +
    (det.seasonal ? `; the seasonal member, error = newest row − the row ${det.seasonal.period} rows (one period) back` : '') +
    ': the error of the newest step, so a k-row spike scores about k rows';
}

function seasonalReason(det: SeriesDetector): string {
  const p = det.choice.period;
  if (det.seasonal) {
    return `dominant period ${det.seasonal.period} rows: the newest row against the row one period back, weight ${SEASONAL_WEIGHT}; ` +
      `the graph reads ${det.window} rows (the longer of the largest scale and period + 1)`;
  }
  if (det.choice.why.startsWith('given')) return 'none: the window was given';
  if (p === null) return 'none: the training rows show no period';
  return p > MAX_SEASONAL_PERIOD ? `none: the period ${p} is longer than ${MAX_SEASONAL_PERIOD} rows` : 'none';
}

function weightsReason(det: SeriesDetector): string {
  const rest = det.seasonal ? `1 − ${SEASONAL_WEIGHT} (the seasonal member's share)` : '1';
  if (det.scales.length === 1) return `one scale: weight ${rest}`;
  return `the nearest-window scales share ${rest} in proportion to mean(leave-one-out e²) / mean(held-out e²), each scale ` +
    'refitted on the first 3/4 of the training rows and measured on the windows ending in the last 1/4 (equal when those ' +
    `are too few): ${det.scales.map((c) => `${c.window} rows ${c.weight.toFixed(3)}`).join(', ')}`;
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
