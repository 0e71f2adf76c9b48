import { hashTrainingRows } from '../../../core/data-hash';
import { parseManifest } from '../../../core/manifest';
import { Rng } from '../../../core/rng';
import { LINEAR_ONLY, SeriesGapFiller } from '../../../core/series-impute/gap-filler';
import type { SeriesColumnParams, SeriesImputeParams } from '../../../core/series-impute/params';
import { TrainingConfigError } from '../../errors';
import type { TrainOptions, TrainResult } from '../../train';
import { exportImputer } from '../auto-impute/export-imputer';
import type { AutoImputer } from '../auto-impute/imputer-zoo';
import { trainAutoImpute } from '../auto-impute/train-auto-impute';
import { chooseWeights, type ColumnChoice, type HeldCell } from './choose-weights';
import { crossColumnFill } from './cross-column-fill';
import { holdOutGaps } from './holdout-gaps';
import { dominantPeriod } from './period';

/** Rows after a missing cell that scoring may read (config `look_ahead`; default this or 1 + the longest period found, if more). */
export const DEFAULT_LOOK_AHEAD = 256;
/** Gaps of at most this many rows between observed neighbours are 'short'. */
export const SHORT_GAP_ROWS = 3;
/** Independent gap-shaped holdouts, each with its own cross-column fit; their held-out cells are pooled. */
export const HOLDOUT_ROUNDS = 2;

/**
 * Kind 'auto', task 'impute', with a time column: the table imputer (training/models/auto-impute) for the
 * cross-column fill in model.onnx, plus the time-aware stage's parameters (core/series-impute) in
 * manifest.imputation.series. HOLDOUT_ROUNDS times: hides gap-shaped runs of observed cells (holdout-gaps.ts),
 * fits a table imputer on the rest and runs the gap filler over the series with them hidden; then keeps per column
 * and gap class the blend of linear / seasonal / cross-column fills that restores the pooled hidden cells best
 * (choose-weights.ts). model.onnx is then refitted on every observed cell.
 */
export async function trainAutoImputeSeries(
  options: TrainOptions, started: number, timestampVersion: (d: Date) => string,
): Promise<TrainResult> {
  const { data } = options;
  const f = data.features.length;
  const n = data.values.length / f;
  const { look_ahead: lookOption, ...tableConfig } = options.modelConfig ?? {};
  const lookOk = typeof lookOption === 'number' && Number.isInteger(lookOption) && lookOption >= 1 && lookOption <= 100000;
  if (lookOption !== undefined && !lookOk)
    throw new TrainingConfigError(`config.look_ahead must be an integer 1 … 100000 (rows), got ${JSON.stringify(lookOption)}`);
  if (data.times !== undefined && data.times.length !== n)
    throw new TrainingConfigError(`data.times holds ${data.times.length} times for ${n} rows`);
  const seed = options.seed ?? 42;
  const base = { ...options, modelConfig: tableConfig };
  // the period is a property of the series: found on every observed cell (as a scaler's statistics are)
  const periods = data.features.map((_, j) => {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = data.values[i * f + j]!;
    return dominantPeriod(col);
  });
  // by default the look-ahead also reaches one period ahead, so the seasonal profile can read both sides
  const look = (lookOption as number | undefined) ?? Math.max(DEFAULT_LOOK_AHEAD, 1 + Math.max(0, ...periods));
  const times = data.times ?? Float64Array.from({ length: n }, (_, i) => i);
  const draft: SeriesImputeParams = {
    look_ahead_rows: look, short_gap_rows: SHORT_GAP_ROWS, time_basis: data.times ? 'timestamps' : 'rows',
    columns: data.features.map((name, j) => ({
      name, period_rows: periods[j]!, weights: { short: LINEAR_ONLY, long: LINEAR_ONLY, open: LINEAR_ONLY },
      std: { short: null, long: null, open: null },
    })),
  };
  const rounds: { values: Float32Array; held: Uint8Array; model: Float64Array }[] = [];
  let heldOut = 0;
  for (let round = 0; round < HOLDOUT_ROUNDS; round++) {
    const holdout = holdOutGaps(data.values, f, new Rng((seed ^ 0x5eed) + round));
    heldOut += holdout.cells;
    rounds.push({ ...holdout, model: await probeFill(base, holdout.values, holdout.held, f, started, timestampVersion) });
  }
  /** The hidden cells' three fills, pooled over the rounds, with the rest of the series filled by `params`. */
  const heldCells = (params: SeriesImputeParams): HeldCell[][] => {
    const held: HeldCell[][] = data.features.map(() => []);
    for (const r of rounds) {
      const filler = new SeriesGapFiller(params, (row, j, c) => {
        const at = row * f + j;
        if (r.held[at]) held[j]!.push({ ...c, truth: data.values[at]! });
      });
      filler.push(r.values, r.model, null, times, n);
      filler.flush();
    }
    return held;
  };
  const withChoices = (choices: ColumnChoice[]): SeriesImputeParams => ({
    ...draft,
    columns: draft.columns.map((c, j): SeriesColumnParams => ({ ...c, weights: choices[j]!.weights, std: choices[j]!.std })),
  });
  // pass 1 fills the other gaps linearly; pass 2 with pass 1's blends, as scoring will (the seasonal fill reads them)
  const first = heldCells(draft).map((cells, j) => chooseWeights(cells, periods[j]! > 0));
  const choices = heldCells(withChoices(first)).map((cells, j) => chooseWeights(cells, periods[j]! > 0));
  const series = withChoices(choices);
  const final = await trainAutoImpute({ ...base, exportOnnx: false }, started, timestampVersion);
  try {
    const m = final.manifest;
    const manifest = parseManifest({
      ...m,
      training: { ...m.training, duration_ms: Date.now() - started, data_hash: hashTrainingRows(data.features, data.values) },
      time_column: options.timeColumn,
      auto: { ...m.auto, series: 'time-aware fill along the time column (manifest imputation.series)' },
      imputation: {
        ...m.imputation,
        series: {
          ...series,
          held_out_cells: heldOut,
          columns: series.columns.map((c, j) => ({ ...c, ...quality(choices[j]!) })),
        },
      },
    });
    // model.onnx carries the manifest in its metadata: exported once the series block is in
    const onnx = options.exportOnnx === false ? null : exportImputer((final.zoo as AutoImputer).fitted.parts, manifest);
    return { ...final, manifest, onnx };
  } catch (err) {
    final.zoo.dispose();
    throw err;
  }
}

/**
 * The cross-column fill of the hidden cells, from a table imputer that never saw them (fitted on `values`, the
 * rows with them hidden). One column has no other column to learn from: the table imputer's fill of a row with no
 * observed cell is its column mean, computed here without a fit.
 */
async function probeFill(
  base: TrainOptions, values: Float32Array, held: Uint8Array, f: number, started: number, version: (d: Date) => string,
): Promise<Float64Array> {
  if (f === 1) {
    let s = 0;
    let k = 0;
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      s += v;
      k++;
    }
    return new Float64Array(values.length).fill(k ? s / k : NaN);
  }
  const probe = await trainAutoImpute({ ...base, exportOnnx: false, data: { ...base.data, values } }, started, version);
  try {
    const rows = new Uint8Array(values.length / f);
    for (let c = 0; c < held.length; c++) if (held[c]) rows[Math.floor(c / f)] = 1;
    return crossColumnFill((probe.zoo as AutoImputer).fitted.parts, values, rows);
  } finally {
    probe.zoo.dispose();
  }
}

const num = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : v);

function quality(c: ColumnChoice): Record<string, unknown> {
  return {
    held_out_cells: c.cells, rmse: num(c.rmse), rmse_linear: num(c.rmseLinear), rmse_seasonal: num(c.rmseSeasonal),
    rmse_model: num(c.rmseModel),
  };
}
