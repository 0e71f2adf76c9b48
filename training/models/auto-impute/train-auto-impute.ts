import { hashTrainingRows } from '../../../core/data-hash';
import { parseManifest, type Manifest } from '../../../core/manifest';
import { Rng } from '../../../core/rng';
import { calibrateThreshold } from '../../../core/threshold';
import { selectBackend } from '../../backend';
import { TrainingConfigError } from '../../errors';
import { onnxSection } from '../../onnx-export';
import type { TrainOptions, TrainResult } from '../../train';
import type { ColumnChoice } from './choose-plans';
import { exportImputer, STD_OUTPUT } from './export-imputer';
import { fitImputer, type FittedImputer } from './fit-imputer';
import { AutoImputer } from './imputer-zoo';
import { manifestHeader } from '../../manifest-header';

/**
 * Trains kind 'auto' with task 'impute' (see fit-imputer.ts): closed form, no epochs. The manifest's `auto`
 * section says what it chose; `imputation` records, per column, the fill that won on the held-out cells and
 * its RMSE there (raw units), beside the column mean's.
 */
export async function trainAutoImpute(options: TrainOptions, started: number, timestampVersion: (d: Date) => string): Promise<TrainResult> {
  const { data } = options;
  const f = data.features.length;
  if (options.window) throw new TrainingConfigError(`model kind 'auto' does not support layout 'windows' (supports rows)`);
  if (data.target) throw new TrainingConfigError(`model kind 'auto' (impute) cannot train on data.target`);
  if (options.scaler !== undefined) {
    throw new TrainingConfigError(`model kind 'auto' (impute) chooses its own scaling; scaler '${options.scaler}' is not available for it`);
  }
  if (options.error !== undefined && options.error !== 'mse') {
    throw new TrainingConfigError(`model kind 'auto' scores with squared errors; error '${options.error}' is not available for it`);
  }
  const seed = options.seed ?? 42;
  const backend = await selectBackend(options.backend ?? 'auto');
  const fitted = fitImputer(data.values, f, data.features, new Rng(seed), options.modelConfig ?? {});
  const zoo = new AutoImputer(fitted);
  try {
    const scores = fitted.calibrationScores;
    const spec = options.threshold ?? 'percentile:99.5';
    const threshold = calibrateThreshold(scores.length ? scores : new Float32Array([0]), spec);
    const onnx = onnxSection({ shape: { layout: 'rows', features: f, steps: null }, ...fitted.parts.scaler, error: 'mse' }, null);
    onnx.outputs.push({ name: STD_OUTPUT, dtype: 'float32', shape: ['N', f] });
    const manifest: Manifest = parseManifest({
      ...manifestHeader('auto', options, timestampVersion),
      training: {
        backend, seed, epochs: 0, duration_ms: Date.now() - started,
        data_hash: hashTrainingRows(data.features, data.values), data_rows: data.values.length / f,
        data_bytes: data.sourceBytes ?? data.values.byteLength,
        config: { task: 'impute', threshold: spec, calibration_samples: scores.length, model: fitted.config },
      },
      features: data.features,
      layout: 'rows',
      window: null,
      scaler: fitted.parts.scaler,
      score: { error: 'mse' },
      latent_dim: null,
      onnx,
      threshold,
      metrics: {
        validation: {
          loss: fitted.validationMse,
          score_mean: threshold.calibration.mean,
          score_p99: threshold.calibration.quantiles['0.99']!,
          anomaly_rate: scores.filter((s) => s > threshold.value).length / Math.max(scores.length, 1),
          samples: scores.length,
        },
      },
      auto: {
        task: 'impute', ...fitted.config, scaler_errors: fitted.scalerErrors,
        validation_loss: 'mean squared error, scaled space, of the held-out cells',
        score: "mean squared error, scaled space, of the imputer's fill of each observed cell (not a calibrated detector)",
      },
      imputation: {
        held_out_cells: fitted.heldOutCells,
        std_output: STD_OUTPUT,
        columns: fitted.choices.map((c, j) => ({
          ...columnQuality(data.features[j]!, c, fitted.coverage[j] ?? null), ...forestQuality(fitted, j),
        })),
      },
    });
    const bytes = options.exportOnnx === false ? null : exportImputer(fitted.parts, manifest);
    return { model: zoo.model, zoo, manifest, onnx: bytes, extraFiles: {}, history: [], validationScores: scores, backend };
  } catch (err) {
    zoo.dispose();
    throw err;
  }
}

const num = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : v);

function columnQuality(name: string, c: ColumnChoice, coverage: number | null): Record<string, unknown> {
  const p = c.plan;
  return {
    name, method: p.method,
    k: p.weights.knn > 0 ? p.k : null,
    knn_weighting: p.weights.knn > 0 ? (p.byDistance ? 'distance' : 'uniform') : null,
    knn_weight: p.method === 'blend' ? p.weights.knn : null,
    rounded: p.round, held_out_cells: c.cells, fallback: c.fallback,
    rmse: num(c.rmse), rmse_mean: num(c.rmseMean), rmse_knn5: num(c.rmseKnn), rmse_gaussian: num(c.rmseGaussian),
    coverage_95: coverage,
  };
}

/**
 * A column's forest figures (raw units): its weight on each round of the forest and the held-out RMSE of the fill
 * blended with that round (round 2: the first round's fill blended with the second round's trees).
 */
function forestQuality(fitted: FittedImputer, j: number): Record<string, unknown> {
  const fc = fitted.forest;
  if (!fc) return {};
  const w = fitted.parts.forest?.weight[j] ?? 0;
  const rmseForest = fc.rmseForest[j] ?? null;
  const out: Record<string, unknown> = {
    forest_weight: w, rmse_forest: rmseForest, ...(w > 0 && rmseForest !== null ? { rmse: rmseForest } : {}),
  };
  const f2 = fitted.forest2;
  if (!f2) return out;
  const w2 = fitted.parts.forest2?.weight[j] ?? 0;
  const rmse2 = f2.rmseForest[j] ?? null;
  return { ...out, forest2_weight: w2, rmse_forest2: rmse2, ...(w2 > 0 && rmse2 !== null ? { rmse: rmse2 } : {}) };
}
