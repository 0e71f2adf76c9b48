import { hashTrainingRows } from '../../../core/data-hash';
import { parseManifest } from '../../../core/manifest';
import { Rng } from '../../../core/rng';
import { calibrateThreshold } from '../../../core/threshold';
import { tailSpecFromScores } from '../../../core/probability';
import { selectBackend } from '../../backend';
import { TrainingConfigError } from '../../errors';
import { onnxSection } from '../../onnx-export';
import type { TrainOptions, TrainResult } from '../../train';
import { AutoDetector, type MemberName } from './detector';
import { families, TAIL_QUANTILE } from './combine';
import { exportAuto } from './export-auto';
import { adjustedFence } from './robust-stats';
import { manifestHeader } from '../../manifest-header';

const MEMBER_SCORES: Record<MemberName, string> = {
  knn: 'the kNN distance (k)', knn_small: 'the kNN distance (k_small)', pca: 'the PCA RMS error', ae: 'the autoencoder RMS error',
  iforest: 'the isolation-forest score', iforest_nn: 'the mean isolation score of the k nearest reference rows',
};
/** Members with per-cell errors (the isolation member has none: it scores rows only). */
const MEMBER_CELLS: Partial<Record<MemberName, string>> = {
  knn: 'difference to the nearest reference row', pca: 'PCA reconstruction', ae: 'autoencoder reconstruction',
};

/** Bounds of the contamination estimate the default threshold follows. */
export const MIN_CONTAMINATION = 0.001;
export const MAX_CONTAMINATION = 0.5;

/**
 * Trains kind 'auto' (see AutoDetector): no epochs, no validation split. The threshold is calibrated on
 * the calibration rows' combined scores: by `options.threshold` when given, else at the percentile
 * 100·(1 − ĉ), ĉ = the fraction of calibration scores above the skew-adjusted boxplot's upper fence
 * Q3 + 1.5·e^{3·MC}·IQR (Hubert & Vandervieren 2008; an estimate of the training data's contamination,
 * clamped to [0.1 %, 50 %]).
 */
export async function trainAuto(options: TrainOptions, started: number, timestampVersion: (d: Date) => string): Promise<TrainResult> {
  const { data } = options;
  const f = data.features.length;
  if (options.window) throw new TrainingConfigError(`model kind 'auto' does not support layout 'windows' (supports rows)`);
  if (data.target) {
    const can = 'dense-ae, sparse-ae, denoising-ae, conv1d-ae, lstm-ae';
    throw new TrainingConfigError(`model kind 'auto' cannot train on data.target (kinds that can: ${can})`);
  }
  if (options.scaler !== undefined && options.scaler !== 'robust') {
    throw new TrainingConfigError(`model kind 'auto' chooses its own robust scaling; scaler '${options.scaler}' is not available for it`);
  }
  if (options.error !== undefined && options.error !== 'mse') {
    throw new TrainingConfigError(`model kind 'auto' scores with squared errors; error '${options.error}' is not available for it`);
  }
  const seed = options.seed ?? 42;
  const backend = await selectBackend(options.backend ?? 'auto');
  const det = AutoDetector.fit(data.values, f, new Rng(seed), options.modelConfig ?? {}, options.progress ?? 'auto');
  try {
    const fence = adjustedFence(det.calibration);
    const contamination = Math.min(MAX_CONTAMINATION, Math.max(MIN_CONTAMINATION, fence.contamination));
    const spec = options.threshold ?? `percentile:${+(100 * (1 - contamination)).toFixed(3)}`;
    const threshold = calibrateThreshold(det.calibration, spec);
    const scores = det.calibration;
    const flagged = scores.filter((s) => s > threshold.value).length;
    const rows = data.values.length / f;
    const manifest = parseManifest({
      ...manifestHeader('auto', options, timestampVersion),
      training: {
        backend, seed, epochs: 0, duration_ms: Date.now() - started,
        data_hash: hashTrainingRows(data.features, data.values), data_rows: rows, data_bytes: data.sourceBytes ?? data.values.byteLength,
        config: { threshold: spec, calibration_samples: scores.length, model: det.config },
      },
      features: data.features,
      layout: 'rows',
      window: null,
      scaler: det.scaling.params,
      score: { error: 'mse' },
      latent_dim: det.latentDim,
      onnx: onnxSection({ shape: { layout: 'rows', features: f, steps: null }, ...det.scaling.params, error: 'mse', latentLayer: 'code' },
        det.latentDim),
      threshold,
      metrics: {
        validation: {
          loss: det.pcaLoss,
          score_mean: threshold.calibration.mean,
          score_p99: threshold.calibration.quantiles['0.99']!,
          anomaly_rate: flagged / scores.length,
          samples: scores.length,
        },
      },
      auto: {
        ...det.config,
        normalisation: det.norms,
        threshold_rule: options.threshold
          ? `given: ${options.threshold}`
          : `percentile 100·(1 − ĉ) of the calibration scores, ĉ = ${fence.contamination.toFixed(4)} of them above the ` +
            `skew-adjusted boxplot fence Q3 + 1.5·e^(3·MC)·IQR (medcouple MC ${fence.medcouple.toFixed(3)}), ` +
            `clamped to [${MIN_CONTAMINATION}, ${MAX_CONTAMINATION}]`,
        contamination_estimate: fence.contamination,
        validation_loss: 'the PCA member\'s mean squared reconstruction error on the calibration rows (what the validation gate compares)',
        score: det.rule === 'mean'
          ? 'mean of the robust z-scores (median, IQR/1.349 on the calibration rows) of ' +
            `${det.members.map((n) => MEMBER_SCORES[n]).join(', ')}`
          : `the largest over the families ${families(det.members).map((f) => f.join('+')).join(', ')} of the mean of their ` +
            `members' tail-scaled scores (s − median) / (q${Math.round(100 * TAIL_QUANTILE)} − median) on the calibration rows; ` +
            `members: ${det.members.map((n) => MEMBER_SCORES[n]).join(', ')}`,
        families: families(det.members).map((f) => [...f]),
        feature_error: "mean of the members' squared cell errors, scaled, observed cells: " +
          `${det.members.filter((n) => MEMBER_CELLS[n]).map((n) => MEMBER_CELLS[n]).join(', ')}`,
      },
      ...(options.timeColumn ? { time_column: options.timeColumn } : {}),
      probability: tailSpecFromScores(scores, threshold.value),
    });
    const onnx = options.exportOnnx === false ? null : exportAuto(det, manifest);
    return { model: det.model, zoo: det, manifest, onnx, extraFiles: {}, history: [], validationScores: det.calibration, backend };
  } catch (err) {
    det.dispose();
    throw err;
  }
}
