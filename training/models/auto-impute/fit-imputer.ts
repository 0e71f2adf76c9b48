import type { Rng } from '../../../core/rng';
import { applyScaler, fitScaler, type ScalerKind, type ScalerParams } from '../../../core/scaler';
import { gatherRows, scaledWithMask } from '../../../core/masked-rows';
import { TrainingConfigError } from '../../errors';
import { checkConfigKeys, configInt } from '../common';
import { choosePlans, KNN_SPECS, type ColumnCandidates, type ColumnChoice } from './choose-plans';
import { discreteColumns, planFor, type ImputerParts } from './column-plan';
import { cgSteps, fitGaussian, rescaleGaussian, type GaussianFill } from './gaussian-fill';
import { holdOut } from './holdout';
import { K_CHOICES, MAX_REFERENCE_ROWS, NEIGHBOURS, type KnnFill } from './knn-fill';
import { conditionalMean } from './gaussian-fill';
import { combine, memberPredictions, type Neighbours } from './predict';
import { FOREST_MIN_ROWS, rescaleForest } from './forest-fill';
import { chooseForest, FOREST_MIN_GAIN, FOREST_SCREEN_TREES, FOREST_WEIGHTS, type ForestChoice } from './choose-forest';

export type MemberName = 'knn' | 'gaussian' | 'forest';
export const MEMBER_NAMES: readonly MemberName[] = ['knn', 'gaussian', 'forest'];
/** Scalings the kNN distance is tried in (the Gaussian member does not depend on it). */
export const SCALER_CHOICES: readonly ScalerKind[] = ['robust', 'standard'];
export type DistanceMode = KnnFill['distance'];
/**
 * The kNN settings tried: scaling × how distances treat missing cells. 'filled' (needs the Gaussian member)
 * is only tried when config.knn_distance asks for it: it lost to 'observed' on letter and spam and costs more.
 */
export const KNN_SETTINGS: readonly { kind: ScalerKind; distance: DistanceMode }[] = [
  { kind: 'robust', distance: 'observed' }, { kind: 'standard', distance: 'observed' },
  { kind: 'robust', distance: 'filled' }, { kind: 'standard', distance: 'filled' },
];
interface Candidate {
  kind: ScalerKind;
  distance: DistanceMode;
  choices: ColumnChoice[];
  err: number;
  /** the members fitted on the held-out table, their neighbour lists of the held-out rows, and those rows scaled */
  parts: ImputerParts;
  near: Neighbours | undefined;
  x: Float32Array;
  mask: Float32Array;
}

/** Most rows the Gaussian member's covariance is fitted on (a seeded subsample beyond). */
export const GAUSSIAN_MAX_ROWS = 20000;

export interface FittedImputer {
  parts: ImputerParts;
  choices: ColumnChoice[];
  /** Held-out error per scaling tried (sum over columns of MSE / variance of the best plans). */
  scalerErrors: Record<string, number>;
  /** Mean over held-out cells of the squared error in the chosen scaled space. */
  validationMse: number;
  heldOutCells: number;
  /** Coverage of ±1.96 sd on the held-out cells, per column (null: none held out). */
  coverage: (number | null)[];
  config: Record<string, unknown>;
  /** The forest member's fit and choice (null: not tried). */
  forest: ForestChoice | null;
  /** Its second, chained round (null: not tried, because the first round was kept on no column). */
  forest2: ForestChoice | null;
  /** Scores (mean squared scaled error of the fills of the observed cells) of the held-out rows, for the threshold. */
  calibrationScores: Float32Array;
}

/**
 * The auto imputer: hides a share of the observed cells (holdout.ts), fits the candidates on the rest,
 * keeps per column the fill that restores the hidden cells best (choose-plans.ts), calibrates the sd on
 * them, and refits the members it kept on every observed cell.
 */
export function fitImputer(
  values: Float32Array, f: number, names: readonly string[], rng: Rng, config: Record<string, unknown>,
): FittedImputer {
  checkConfigKeys('auto (impute)', config, ['reference_rows', 'members', 'knn_distance']);
  const forced = config['knn_distance'];
  if (forced !== undefined && forced !== 'observed' && forced !== 'filled')
    throw new TrainingConfigError(`config.knn_distance must be 'observed' or 'filled', got ${JSON.stringify(forced)}`);
  const members = configMembers(config);
  const rows = values.length / f;
  if (rows < 3) throw new TrainingConfigError(`auto (impute) needs at least 3 training rows, got ${rows}`);
  const observed = new Int32Array(f);
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) observed[i % f]++;
  const empty = names.filter((_, j) => observed[j] === 0);
  if (empty.length) {
    throw new TrainingConfigError(
      `column(s) ${empty.map((c) => `'${c}'`).join(', ')} have no observed value: auto (impute) cannot learn to fill them ` +
        '(leave them out with --exclude)',
    );
  }
  const refRows = Math.min(rows, configInt(config, 'reference_rows', MAX_REFERENCE_ROWS, 2));
  const refOrder = rng.permutation(rows).subarray(0, refRows).slice().sort();
  const gaussOrder = rng.permutation(rows).subarray(0, Math.min(rows, GAUSSIAN_MAX_ROWS)).slice().sort();
  const hold = holdOut(values, f, rng.fork());
  const variance = rawVariance(values, f);
  const discrete = discreteColumns(values, f);
  const truthRows = gatherRows(values, hold.rows, f);
  const heldRows = gatherRows(hold.values, hold.rows, f);
  let best: Candidate | null = null;
  const scalerErrors: Record<string, number> = {};
  let gaussRaw: Float64Array | null = null;
  let gaussFit: { g: GaussianFill; scaler: ScalerParams } | null = null;
  const settings = KNN_SETTINGS.filter((s) => members.includes('knn') ? s.distance === 'observed' || members.includes('gaussian')
    : s.distance === 'observed' && s.kind === SCALER_CHOICES[0]).filter((s) => (forced ?? 'observed') === s.distance);
  for (const { kind, distance } of settings) {
    // the Gaussian member is fitted once: other scalings get it rescaled (rescaleGaussian), a 'filled' kNN needs its own
    const reuse = gaussFit !== null && distance === 'observed';
    const parts = buildParts(hold.values, f, kind, members, refOrder, reuse ? [] : gaussOrder, distance);
    if (reuse) parts.gaussian = rescaleGaussian(gaussFit!.g, gaussFit!.scaler, parts.scaler);
    else if (parts.gaussian) gaussFit = { g: parts.gaussian, scaler: parts.scaler };
    const { x, mask } = scaled(parts, heldRows);
    // the kNN fills of the held-out cells only (the selection reads nothing else)
    const only = Uint8Array.from(heldRows, (v, c) => (!Number.isFinite(v) && Number.isFinite(truthRows[c]) ? 1 : 0));
    const preds = memberPredictions(reuse ? { ...parts, gaussian: null } : parts, x, mask,
      Array.from({ length: f }, () => KNN_SPECS), { only });
    if (preds.gaussian && !gaussRaw) gaussRaw = toRaw(parts, preds.gaussian, 1);
    const knnRaw = preds.knn ? toRaw(parts, preds.knn, KNN_SPECS.length) : null;
    const meanRaw = parts.mean.map((m, j) => m * parts.scaler.scale[j]! + parts.scaler.offset[j]!);
    const cols: ColumnCandidates[] = Array.from({ length: f }, (_, j) => ({
      truth: [], mean: [], knn: [], gaussian: [], round: discrete[j]!,
    }));
    for (let r = 0; r < hold.rows.length; r++) {
      for (let j = 0; j < f; j++) {
        const c = r * f + j;
        if (!only[c]) continue;
        const col = cols[j]!;
        col.truth.push(truthRows[c]!);
        col.mean.push(meanRaw[j]!);
        if (knnRaw) col.knn.push(Array.from(knnRaw.subarray(c * KNN_SPECS.length, (c + 1) * KNN_SPECS.length)));
        if (gaussRaw) col.gaussian.push(gaussRaw[c]!);
      }
    }
    const choices = choosePlans(cols, variance);
    const err = choices.reduce((s, ch, j) => s + (ch.cells ? (ch.rmse ** 2) / Math.max(variance[j]!, 1e-12) : 0), 0);
    scalerErrors[`${kind}/${distance}`] = err;
    if (!best || err < best.err) best = { kind, distance, choices, err, parts, near: preds.near, x, mask };
  }
  const { kind, distance, choices } = best!;
  // calibrate the sd on the held-out cells with the chosen plans (in the chosen scaled space), on the same neighbours
  const heldParts = best!.parts;
  heldParts.plans = choices.map((c) => c.plan);
  const { x, mask } = best!;
  const truth = applyScaler(heldParts.scaler, truthRows);
  const heldPreds = memberPredictions(heldParts, x, mask, undefined, best!.near ? { near: best!.near } : {});
  let out = combine(heldParts, heldPreds, mask, x);
  // the forest member: fitted on the held-out table's rows with their missing cells at these plans' fill, kept per column
  // where it beats the plan on the held-out cells (choose-forest.ts); reused as fitted (it needs no refit on every cell).
  // When some column kept it, a second, chained round (as MissForest iterates) is fitted the same way on the rows with
  // their missing cells at the first round's fill, and kept per column where it beats that fill
  let forest: ForestChoice | null = null;
  let forest2: ForestChoice | null = null;
  if (members.includes('forest')) {
    forest = chooseForest(heldParts, x, mask, truth, out.value, rng.fork());
    if (forest.forest) {
      heldParts.forest = forest.forest;
      out = combine(heldParts, heldPreds, mask, x);
      forest2 = chooseForest(heldParts, x, mask, truth, out.value, rng.fork());
      if (forest2.forest) {
        heldParts.forest2 = forest2.forest;
        out = combine(heldParts, heldPreds, mask, x);
      }
    }
  }
  const err2 = new Float64Array(f);
  const sd2 = new Float64Array(f);
  const cells = new Int32Array(f);
  forHeld(x, mask, truth, f, (c, j) => {
    err2[j] += (truth[c]! - out.value[c]!) ** 2;
    sd2[j] += out.sd[c]! ** 2;
    cells[j]++;
  });
  const sdScale = Float64Array.from(err2, (e, j) => (sd2[j]! > 1e-24 ? Math.sqrt(e / sd2[j]!) : 0));
  const sdFloor = Float64Array.from(err2, (e, j) => (sd2[j]! > 1e-24 || !cells[j] ? 0 : Math.sqrt(e / cells[j]!)));
  const inside = new Int32Array(f);
  forHeld(x, mask, truth, f, (c, j) => {
    const sd = sdScale[j]! * out.sd[c]! + sdFloor[j]!;
    if (Math.abs(truth[c]! - out.value[c]!) <= 1.96 * sd) inside[j]++;
  });
  const calibrationScores = new Float32Array(hold.rows.length);
  for (let r = 0; r < hold.rows.length; r++) {
    let sum = 0;
    let n = 0;
    for (let j = 0; j < f; j++) {
      const c = r * f + j;
      if (mask[c]! < 0.5) continue;
      sum += (out.value[c]! - x[c]!) ** 2;
      n++;
    }
    calibrationScores[r] = n ? sum / n : 0;
  }
  const used = members.filter((m) => (m === 'forest' ? Boolean(forest?.forest)
    : choices.some((c) => c.plan.weights[m] > 0) || (m === 'gaussian' && distance === 'filled')));
  const parts = buildParts(values, f, kind, used, refOrder, gaussOrder, distance);
  parts.plans = choices.map((c) => c.plan);
  parts.forest = forest?.forest ? rescaleForest(forest.forest, heldParts.scaler, parts.scaler) : null;
  parts.forest2 = forest2?.forest ? rescaleForest(forest2.forest, heldParts.scaler, parts.scaler) : null;
  parts.sdScale = sdScale;
  parts.sdFloor = sdFloor;
  const total = cells.reduce((a, b) => a + b, 0);
  return {
    parts, choices, scalerErrors, heldOutCells: total, calibrationScores, forest, forest2,
    validationMse: err2.reduce((a, b) => a + b, 0) / Math.max(total, 1),
    coverage: Array.from(cells, (n, j) => (n ? inside[j]! / n : null)),
    config: {
      members: used, members_tried: members, scaler: kind, knn_distance: distance, reference_rows: parts.knn?.rows ?? 0,
      neighbours_searched: NEIGHBOURS,
      k_choices: [...K_CHOICES], ridge: parts.gaussian?.ridge ?? null, cg_steps: parts.gaussian?.steps ?? null,
      cg_steps_most: cgSteps(f), held_out_cells: total,
      held_out_rows: hold.rows.length,
      forest: forest ? { ...forestSummary(forest), round2: forest2 ? forestSummary(forest2) : null } : null,
    },
  };
}

/** The members fitted on `values` (NaN = missing) in scaler `kind`; plans default to the mean. */
function buildParts(
  values: Float32Array, f: number, kind: ScalerKind, members: readonly MemberName[], refOrder: ArrayLike<number>,
  gaussOrder: ArrayLike<number>, distance: DistanceMode = 'observed',
): ImputerParts {
  const scaler = fitScaler(values, f, kind);
  const { x, mask } = scaled({ scaler }, values);
  const mean = new Float64Array(f);
  const m2 = new Float64Array(f);
  const n = new Float64Array(f);
  for (let i = 0; i < x.length; i++) {
    if (!mask[i]) continue;
    const j = i % f;
    n[j]++;
    const d = x[i]! - mean[j]!;
    mean[j] += d / n[j]!;
    m2[j] += d * (x[i]! - mean[j]!);
  }
  const sd = Float64Array.from(m2, (v, j) => Math.sqrt(v / Math.max(n[j]!, 1)));
  const gaussian = members.includes('gaussian') && gaussOrder.length
    ? fitGaussian(gatherRows(x, gaussOrder, f), gatherRows(mask, gaussOrder, f), f)
    : null;
  let knn: KnnFill | null = null;
  if (members.includes('knn')) {
    const reference = gatherRows(x, refOrder, f);
    const refMask = gatherRows(mask, refOrder, f);
    const filled = distance === 'filled' && gaussian;
    knn = {
      reference, refMask, rows: refOrder.length, features: f, distance: filled ? 'filled' : 'observed',
      distReference: filled ? Float32Array.from(conditionalMean(gaussian, reference, refMask)) : reference,
      distRefMask: filled ? new Float32Array(refMask.length).fill(1) : refMask,
    };
  }
  const plans = Array.from({ length: f }, () => planFor('mean', 5));
  return { features: f, scaler, mean, sd, knn, gaussian, plans, sdScale: new Float64Array(f).fill(1), sdFloor: new Float64Array(f) };
}

/** Scaled rows (0 where missing) and their mask. */
export function scaled(parts: Pick<ImputerParts, 'scaler'>, values: Float32Array): { x: Float32Array; mask: Float32Array } {
  return scaledWithMask(parts.scaler, values);
}

/** The manifest's and train's record of the forest: its budget, what was fitted and which columns kept it. */
function forestSummary(c: ForestChoice): Record<string, unknown> {
  const kept = c.forest;
  const cols = kept ? Array.from(kept.weight, (w, j) => (w > 0 ? j : -1)).filter((j) => j >= 0) : [];
  const b = c.budget;
  return {
    skipped: c.skipped ? `too wide: fewer than ${FOREST_MIN_ROWS} training rows a column under the cell budget` : null,
    min_gain: FOREST_MIN_GAIN, weights_tried: [...FOREST_WEIGHTS], screen_trees: FOREST_SCREEN_TREES, columns_grown: c.screened,
    trees_fitted: c.treesFitted, nodes_fitted: c.nodesFitted,
    fit_ms: c.fitMs, columns: cols, weights: kept ? cols.map((j) => kept.weight[j]!) : [],
    trees_kept: kept ? new Set(kept.treeIds).size : 0, nodes_kept: kept?.nodeIds.length ?? 0,
    trees_per_column: b.trees, max_rows: b.maxRows, max_nodes_per_tree: b.maxNodes, min_leaf: b.minLeaf,
  };
}

function forHeld(x: Float32Array, mask: Float32Array, truth: Float32Array, f: number, each: (c: number, j: number) => void): void {
  for (let c = 0; c < x.length; c++) if (mask[c]! < 0.5 && Number.isFinite(truth[c])) each(c, c % f);
}

function toRaw(parts: ImputerParts, a: Float64Array, t: number): Float64Array {
  const f = parts.features;
  return a.map((v, i) => v * parts.scaler.scale[Math.floor(i / t) % f]! + parts.scaler.offset[Math.floor(i / t) % f]!);
}

function rawVariance(values: Float32Array, f: number): Float64Array {
  const s = fitScaler(values, f, 'standard');
  return Float64Array.from(s.scale, (v) => v * v);
}

function configMembers(config: Record<string, unknown>): readonly MemberName[] {
  const v = config['members'];
  if (v === undefined) return MEMBER_NAMES;
  const ok = Array.isArray(v) && new Set(v).size === v.length && v.every((m) => (MEMBER_NAMES as readonly unknown[]).includes(m));
  if (!ok) throw new TrainingConfigError(`config.members must list some of ${MEMBER_NAMES.join(', ')}, got ${JSON.stringify(v)}`);
  return v as MemberName[];
}
