import {
  extractFeatures,
  featureBoundsFor,
  type CsvDelimiter,
  type FeatureBuffers,
  type OutputCell,
  type TableChunk,
  type TableRow,
} from '../core/io';
import { resolveFeatureColumns, type Manifest } from '../core/manifest';
import { InputError, SchemaMismatchError } from '../core/errors';
import { UsageError } from '../core/usage-error';
import { createProbabilityModel, probabilitySpecFor } from '../core/probability';
import { TimeOrder } from '../core/time/time-order';
import { SampleRateCheck } from './signal-rate-check';
import type { BatchScorer, ScorerOutput } from './batch-scorer';
import { CsvRow } from '../core/io/csv-row';
import { SplicedCells } from './spliced-cells';
import { isMissingCell, replaceFeatureCells } from './replace-feature-cells';
import { TopFeatures } from './top-features';
import { createScoringStage, type RowResults } from './window-stage';
import { contextOfState, nextSeriesState, type SeriesState } from './series-state';
import { isSeriesImputer, SeriesImputeStage } from './series-impute-stage';
import {
  extraColumnsFor, hasImputeStd,
  type ScoredBatch, type ScoredRow, type ScoreMode, type ScoreStats, type ScoreTableOptions,
} from './score-shapes';
export { emptyStats, extraColumnsFor, hasImputeStd, SCORE_MODES } from './score-shapes';
export type { ScoredBatch, ScoredRow, ScoreMode, ScoreStats, ScoreTableOptions, SeriesEnd } from './score-shapes';

/**
 * The scoring transform: parsed chunks in, scored rows out, in input order. Feature columns are found
 * by name (a mismatch throws SchemaMismatchError naming the columns); rows with bad values are
 * rejected and reported; every other row comes out once.
 */
export async function* scoreTable(
  chunks: AsyncIterable<TableChunk>,
  model: { manifest: Manifest; scorer: BatchScorer },
  options: ScoreTableOptions,
  stats: ScoreStats,
): AsyncGenerator<ScoredBatch> {
  const { manifest, scorer } = model;
  const f = manifest.features.length;
  const topK = Math.min(options.topK ?? 3, f);
  const top = new TopFeatures(manifest.features, topK);
  if (options.mode === 'embed' && manifest.latent_dim === null)
    throw new InputError(`mode 'embed' needs a model with a latent space; '${manifest.name}' (${manifest.kind}) has none`);
  const state = options.state ?? null;
  if (state && (options.mode === 'impute' || options.mode === 'denoise'))
    throw new InputError(`mode '${options.mode}' cannot resume a series state (its results depend on later rows); use detect or embed`);
  const flags = options.imputeFlags === true;
  if (flags && options.mode !== 'impute') throw new InputError(`impute flags need mode 'impute', not '${options.mode}'`);
  const withStd = flags && hasImputeStd(manifest);
  const fetch: readonly ScorerOutput[] = withStd ? [...FETCH[options.mode], 'reconstructionStd'] : FETCH[options.mode];
  // continuous-signal denoisers (manifest.signal) overlap-add windows every denoise_hop rows instead of every row
  const hop = options.mode === 'denoise' && manifest.signal ? manifest.signal.denoise_hop : 1;
  const stage = createScoringStage(
    scorer, f, manifest.window?.size ?? null, fetch, undefined, manifest.latent_dim ?? 0,
    state ? contextOfState(state, f) : undefined, hop,
  );
  // a series imputer fills along time: its stage holds rows back for the look-ahead (scoring/series-impute-stage.ts)
  const series = options.mode === 'impute' && isSeriesImputer(manifest) ? new SeriesImputeStage(stage, manifest, f, withStd) : null;
  const spec = probabilitySpecFor(manifest);
  const probability = options.mode === 'detect' ? createProbabilityModel(spec, state?.probability ?? undefined) : null;
  const timeName = options.timeColumn ?? null;
  let time: TimeOrder | null = null;
  /** a denoiser's sample rate against the time column's steps (before any row reaches the model) */
  let rate: SampleRateCheck | null = null;
  let rowsAccepted = 0;
  const constant = { first: new Float64Array(f).fill(NaN), varies: false };
  const extraColumns = extraColumnsFor(options.mode, manifest, flags);
  let featureColumns: number[] | null = null;
  // values the model's float32 arithmetic cannot score (1e30 against a training scale of 1) are rejected rows
  const bounds = featureBoundsFor(manifest.scaler.offset, manifest.scaler.scale);
  let columns: string[] = [];
  let delimiter: CsvDelimiter | undefined;
  const pending: TableRow[] = [];
  /** per pending row: 1 when at least one of its feature cells is observed */
  const pendingObserved: number[] = [];
  let buffers: FeatureBuffers = { x: new Float32Array(0), mask: new Float32Array(0) };

  let splice = new SplicedCells(0);
  /** featureColumns is increasing (the model's features in the input's order): a row's replaced cells need no sort */
  let ascendingColumns = true;
  let featureIndex = new Int32Array(0);
  /** the anomaly probabilities of the rows `take` is shaping */
  let probs: Float32Array = new Float32Array(0);
  const take = (results: RowResults): ScoredBatch => {
    const rows = pending.splice(0, results.rows);
    const observed = pendingObserved.splice(0, results.rows);
    if (probability && rows.length > 0) {
      // a row that was not checked has no score for the probability model either
      const scores = results.score!.slice(0, rows.length);
      for (let r = 0; r < rows.length; r++) if (observed[r] !== 1) scores[r] = NaN;
      probs = probability.push(scores);
    }
    const out: ScoredRow[] = new Array(rows.length);
    // a CSV row's replaced cells (impute, denoise): one pair of arrays for the batch's rows (core/io/csv-spliced-row.ts)
    if (options.mode === 'impute' || options.mode === 'denoise') {
      splice = new SplicedCells(Math.max(256, (rows.length * f) >> 2));
    }
    for (let r = 0; r < rows.length; r++) out[r] = shapeRow(rows[r]!, r, results, observed[r] === 1);
    stats.rowsOut += rows.length;
    return { columns, delimiter, featureColumns: featureColumns!, extraColumns, rows: out };
  };

  const shapeRow = (source: TableRow, r: number, res: RowResults, observed: boolean): ScoredRow => {
    switch (options.mode) {
      case 'detect': {
        const score = res.score![r]!;
        const p = probs[r]!;
        // nothing observed, or no full window yet: the row was not checked, so it claims neither 0 nor 1
        if (!observed || Number.isNaN(score) || Number.isNaN(p)) {
          stats.rowsUnscored++;
          return { source, extra: [null, null, null, null, null] };
        }
        // the probability threshold flags exactly the scores above the score threshold (core/probability)
        const flagged = p >= spec.threshold;
        if (flagged) stats.anomalies++;
        top.select(res.featureError!, r * f, f);
        return { source, extra: [score, p, flagged ? 1 : 0, top.names(), top.errors()] };
      }
      case 'impute':
      case 'denoise': {
        if (options.mode === 'impute' && !flags && source instanceof CSV_ROW) {
          // the common case in one pass over the row's scanned cells (spliced-cells.ts), without the per-cell checks below
          stats.cellsImputed += splice.fillMissing(source, featureIndex, res.reconstruction!, r * f);
          return { source: splice.row(source, ascendingColumns) ?? source, extra: NO_EXTRA };
        }
        let replaced: Map<number, number> | undefined;
        const csv = source instanceof CSV_ROW ? splice : null;
        csv?.begin();
        const extra: OutputCell[] = flags ? new Array<OutputCell>(withStd ? 2 * f : f).fill(null) : NO_EXTRA;
        for (let j = 0; j < f; j++) {
          const col = featureColumns![j]!;
          if (flags) extra[j] = 0;
          if (options.mode === 'impute' && !isMissingCell(source, col)) continue;
          const value = res.reconstruction![r * f + j]!;
          if (!Number.isFinite(value)) continue;
          if (csv) csv.add(col, value);
          else (replaced ??= new Map()).set(col, value);
          if (options.mode === 'impute') stats.cellsImputed++;
          if (flags) {
            extra[j] = 1;
            const sd = withStd ? res.reconstructionStd![r * f + j]! : NaN;
            if (withStd && Number.isFinite(sd)) extra[f + j] = sd;
          }
        }
        // only the replaced feature cells change; every other cell is copied from the row as it was read
        if (csv) return { source: csv.row(source as CsvRow, ascendingColumns) ?? source, extra };
        return { source: replaced ? replaceFeatureCells(source, columns, replaced) : source, extra };
      }
      case 'embed': {
        const k = manifest.latent_dim!;
        if (res.latent === undefined) {
          throw new InputError(`mode 'embed': model '${manifest.name}' declares latent_dim ${k} but has no ONNX output 'latent'`);
        }
        const extra = new Array<number | null>(k);
        const scored = observed && !Number.isNaN(res.latent[r * k]!);
        for (let j = 0; j < k; j++) extra[j] = scored ? res.latent[r * k + j]! : null;
        if (!scored) stats.rowsUnscored++;
        return { source, extra };
      }
    }
  };

  for await (const chunk of chunks) {
    if (featureColumns === null) {
      columns = chunk.columns;
      delimiter = chunk.delimiter;
      featureColumns = resolveFeatureColumns(manifest, columns);
      featureIndex = Int32Array.from(featureColumns);
      ascendingColumns = featureColumns.every((c, j) => j === 0 || c > featureColumns![j - 1]!);
      if (timeName !== null) time = openTimeColumn(timeName, columns, manifest.features, options.timeColumnFromFlag === true, state);
      if (time && options.mode === 'denoise' && manifest.signal) rate = new SampleRateCheck(manifest.signal.sample_rate, timeName!);
      const clash = extraColumns.filter((c) => columns.includes(c));
      if (clash.length)
        throw new InputError(`input already has column(s) ${clash.map((c) => `'${c}'`).join(', ')} that mode '${options.mode}' adds`);
    }
    // one pair of feature buffers serves every chunk: the stage has consumed them before the next one
    const timed = time ? time.check(chunk.rows) : null;
    if (timed) rate?.push(timed.times, timed.keep.length);
    const read = timed ? { ...chunk, rows: timed.keep } : chunk;
    const { x, mask, keep, rejected, anyMissing } = extractFeatures(read, featureColumns, buffers, bounds);
    if (x.buffer !== buffers.x.buffer) buffers = { x: new Float32Array(x.buffer), mask: new Float32Array(mask.buffer) };
    const allRejected = [...chunk.rejected, ...(timed?.rejected ?? []), ...rejected].sort((a, b) => a.line - b.line);
    rowsAccepted += keep.length;
    countMissing(mask, anyMissing ? keep.length : 0, f, stats);
    if (!constant.varies) constant.varies = varies(x, mask, keep.length, f, constant.first);
    stats.rowsIn += chunk.rows.length + chunk.rejected.length;
    stats.rowsRejected += allRejected.length;
    for (const rej of allRejected) {
      const reason = rej.reason.replace(/ at line \d+| on line \d+|'[^']*'/g, '').trim();
      stats.rejectedReasons[reason] = (stats.rejectedReasons[reason] ?? 0) + 1;
      options.onRejected?.(rej);
    }
    pending.push(...keep);
    for (let r = 0; r < keep.length; r++) {
      let any = 0;
      for (let j = 0; j < f && any === 0; j++) any = mask[r * f + j]! > 0 ? 1 : 0;
      pendingObserved.push(any);
    }
    const t0 = performance.now();
    series?.times(timed ? keptTimes(timed, keep) : null);
    // each row's line fixes where it sits in the model's batch, so its result is the same however the input is cut
    const lines = new Float64Array(keep.length);
    for (let r = 0; r < keep.length; r++) lines[r] = keep[r]!.line;
    const results = await (series ?? stage).push(x, mask, keep.length, lines);
    stats.modelMs += performance.now() - t0;
    // every chunk yields a batch, even an empty one, so an output whose rows were all rejected still has its header
    yield take(results);
  }
  const rest = await (series ?? stage).flush();
  if (rest.rows > 0) yield take(rest);
  const rowsSeen = (state?.rows_seen ?? 0) + rowsAccepted;
  options.onEnd?.({
    state: nextSeriesState(manifest, stage.tail(), rowsSeen, time ? time.last : lastOfState(state), probability?.snapshot() ?? null),
    time: time?.summary() ?? null,
    rowsAccepted,
    rowsSeen,
    constant: !constant.varies,
  });
}

// an imported binding is a getter under CommonJS (tsx, jest; not the CLI's bundle): read once here, not per row
const CSV_ROW = CsvRow;

/** The appended cells of a row that gets none (impute and denoise without flags): one array, never written to. */
const NO_EXTRA: OutputCell[] = [];

/** Finds the time column: present, and not one of the model's features. */
function openTimeColumn(
  name: string, columns: string[], features: readonly string[], fromFlag: boolean, state: SeriesState | null,
): TimeOrder {
  if (features.includes(name)) throw new UsageError(`the time column '${name}' is a feature of the model; it cannot be the time column`);
  const at = columns.indexOf(name);
  if (at < 0) {
    if (fromFlag) throw new UsageError(`--time-column names '${name}', which is not a column of the input`);
    throw new SchemaMismatchError([name], []);
  }
  return new TimeOrder(at, columns, lastOfState(state));
}

function lastOfState(state: SeriesState | null): { text: string; ms: number } | null {
  return state && state.last_time !== null && state.last_time_ms !== null ? { text: state.last_time, ms: state.last_time_ms } : null;
}

/** The times TimeOrder parsed of the rows extractFeatures kept: `keep` is `timed.keep` less its rejected rows, in order. */
function keptTimes(timed: { keep: readonly TableRow[]; times: Float64Array }, keep: readonly TableRow[]): Float64Array {
  if (keep.length === timed.keep.length) return timed.times;
  const out = new Float64Array(keep.length);
  for (let i = 0, j = 0; i < keep.length; j++) if (timed.keep[j] === keep[i]) out[i++] = timed.times[j]!;
  return out;
}

/** Adds each feature's missing cells among a chunk's accepted rows to stats.missingCells. */
function countMissing(mask: Float32Array, rows: number, f: number, stats: ScoreStats): void {
  if (stats.missingCells.length !== f) stats.missingCells = new Array<number>(f).fill(0);
  const counts = stats.missingCells;
  for (let r = 0, i = 0; r < rows; r++) {
    for (let j = 0; j < f; j++, i++) if (!(mask[i]! > 0)) counts[j] = counts[j]! + 1;
  }
}

/** True when an observed feature value differs from the first one seen of its feature (`first` is updated). */
function varies(x: Float32Array, mask: Float32Array, rows: number, f: number, first: Float64Array): boolean {
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < f; j++) {
      if (!(mask[r * f + j]! > 0)) continue;
      const v = x[r * f + j]!;
      if (Number.isNaN(first[j]!)) first[j] = v;
      else if (v !== first[j]) return true;
    }
  }
  return false;
}

/** What each mode reads from the model; onnxruntime computes nothing else. */
const FETCH: Record<ScoreMode, readonly ScorerOutput[]> = {
  detect: ['score', 'featureError'],
  impute: ['reconstruction'],
  denoise: ['reconstruction'],
  embed: ['latent'],
};
