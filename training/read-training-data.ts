import { extractFeatures, formatFromKey, parseCellNumber, type TableChunk } from '../core/io';
import { InputError } from '../core/errors';
import { openTable } from '../storage/open-table';
import type { ObjectLocation, ObjectStore } from '../storage/object-store';
import type { TrainingData } from './train';
import { UsageError } from '../core/usage-error';
import { TimeOrder, type TimeSummary } from '../core/time/time-order';
import { keptTimes } from '../core/time/kept-times';

export interface ColumnSelection {
  /** Use exactly these columns, in this order. */
  columns?: string[];
  /** Leave these columns out (e.g. a label or timestamp). */
  exclude?: string[];
  /** The time column: never a feature; rows with a missing, unparseable, out-of-order or duplicate timestamp are skipped. */
  timeColumn?: string;
  /** a time series (train's time column is set): a constant feature is a flat metric, not refused */
  timeSeries?: boolean;
  /** a generative model (gan): a column named like a label is data to model and condition on, not refused */
  labelsAreData?: boolean;
  /**
   * Columns read after the chosen features, in this order (fidelity's --label-column: the features chosen as
   * usual without them, then these, in one read). They must be in the data; they are not checked as label-like.
   */
  append?: string[];
}

export interface LoadedTrainingData extends TrainingData {
  /** Rows skipped because a feature cell was not a number. */
  rejectedRows: number;
  /** Columns left out automatically because they hold no numbers (only without `columns`). */
  droppedColumns: string[];
  /** With a time column: rows it skipped, by code (TIME_MISSING, …; included in rejectedRows), and its steps and gaps. */
  timeRejected?: Record<string, number>;
  time?: TimeSummary;
}

/** Column names that say "this is the answer, not a measurement" (compared case-insensitively). */
const LABEL_NAMES = ['label', 'target', 'y', 'class', 'is_anomaly', 'anomaly', 'outlier'];

/**
 * Reads a table (CSV, .csv.gz, JSON Lines, Parquet; format from the key) from an object store into
 * training rows. Without `columns`, every column not excluded whose cells in the first chunk are all
 * numbers or missing is a feature; the others are reported in `droppedColumns`.
 *
 * Without `columns` it also refuses, with an InputError naming the columns, data it would silently train
 * wrong on: more than half of the columns not excluded left out as non-numeric (a misread file, e.g. a
 * separator or decimal mark it did not expect), and any chosen feature that looks like a label: named
 * label, target, y, class, is_anomaly, anomaly or outlier (any case), or constant in the training rows.
 * `--exclude` (leave it out) or `--columns` (train on exactly these) says what is meant.
 */
export async function readTrainingData(
  store: ObjectStore,
  location: ObjectLocation,
  selection: ColumnSelection = {},
): Promise<LoadedTrainingData> {
  const { format, gzip } = formatFromKey(location.key);
  const { chunks, bytes: sourceBytes } = await openTable(store, location, { format, gzip });
  const parts: Float32Array[] = [];
  let featureIdx: number[] | null = null;
  let features: string[] = [];
  let dropped: string[] = [];
  let rejectedRows = 0;
  let rows = 0;
  let time: TimeOrder | null = null;
  const timeRejected: Record<string, number> = {};
  const timeParts: Float64Array[] = [];
  for await (const chunk of chunks) {
    if (!featureIdx) {
      ({ featureIdx, features, dropped } = chooseFeatures(chunk, selection));
      if (selection.timeColumn !== undefined) {
        time = new TimeOrder(chunk.columns.indexOf(selection.timeColumn), chunk.columns);
      }
    }
    const timed = time ? time.check(chunk.rows) : null;
    for (const r of timed?.rejected ?? []) {
      const code = r.reason.slice(0, r.reason.indexOf(':'));
      timeRejected[code] = (timeRejected[code] ?? 0) + 1;
    }
    const batch = extractFeatures(timed ? { ...chunk, rows: timed.keep } : chunk, featureIdx);
    rejectedRows += batch.rejected.length + chunk.rejected.length + (timed?.rejected.length ?? 0);
    parts.push(batch.x.slice());
    // the times TimeOrder parsed, of the rows feature extraction kept (the time column is parsed once)
    if (timed) timeParts.push(keptTimes(timed.keep, timed.times, batch.keep));
    rows += batch.keep.length;
  }
  if (!featureIdx) throw new InputError(`'${location.key}' holds no rows`);
  if (rows === 0) throw new InputError(`'${location.key}' has no row whose feature columns (${features.join(', ')}) are all numeric`);
  const values = new Float32Array(rows * features.length);
  let at = 0;
  for (const p of parts) {
    values.set(p, at);
    at += p.length;
  }
  if (!selection.columns?.length) {
    const chosen = features.slice(0, features.length - (selection.append?.length ?? 0));
    refuseLabelLikeColumns(chosen, values, selection.timeSeries === true, selection.labelsAreData === true, features.length);
  }
  const timed = time ? { timeRejected, time: time.summary(), times: concatTimes(timeParts, rows) } : {};
  return { features, values, sourceBytes, rejectedRows, droppedColumns: dropped, ...timed };
}

function concatTimes(parts: readonly Float64Array[], rows: number): Float64Array {
  const out = new Float64Array(rows);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function chooseFeatures(
  chunk: TableChunk, selection: ColumnSelection,
): { featureIdx: number[]; features: string[]; dropped: string[] } {
  const append = selection.append ?? [];
  if (!append.length) return chooseOwnFeatures(chunk, selection);
  const cols = chunk.columns;
  const missing = append.filter((c) => !cols.includes(c));
  if (missing.length) throw new InputError(`column(s) not in the data: ${quoted(missing)} (columns: ${cols.join(', ')})`);
  const chosen = chooseOwnFeatures(chunk, { ...selection, exclude: [...(selection.exclude ?? []), ...append] });
  const features = [...chosen.features, ...append];
  return { featureIdx: features.map((c) => cols.indexOf(c)), features, dropped: chosen.dropped };
}

function chooseOwnFeatures(chunk: TableChunk, selection: ColumnSelection): { featureIdx: number[]; features: string[]; dropped: string[] } {
  const cols = chunk.columns;
  const index = new Map(cols.map((c, i) => [c, i] as const));
  const exclude = new Set(selection.exclude ?? []);
  const unknownExcluded = [...exclude].filter((c) => !index.has(c));
  if (unknownExcluded.length)
    throw new InputError(
      `--exclude names column(s) not in the data: ${unknownExcluded.map((c) => `'${c}'`).join(', ')} (columns: ${cols.join(', ')})`,
    );
  const timeColumn = selection.timeColumn;
  if (timeColumn !== undefined) {
    if (!index.has(timeColumn))
      throw new UsageError(`--time-column names '${timeColumn}', which is not a column of the data (columns: ${cols.join(', ')})`);
    if (selection.columns?.includes(timeColumn)) throw new UsageError(`--time-column '${timeColumn}' cannot also be a feature (--columns)`);
    // the time column is never a feature, whatever it holds (epoch numbers would otherwise be picked)
    exclude.add(timeColumn);
  }
  if (selection.columns?.length) {
    const missing = selection.columns.filter((c) => !index.has(c));
    if (missing.length)
      throw new InputError(
        `--columns names column(s) not in the data: ${missing.map((c) => `'${c}'`).join(', ')} (columns: ${cols.join(', ')})`,
      );
    const features = selection.columns.filter((c) => !exclude.has(c));
    if (!features.length) throw new InputError('no feature columns left after --exclude');
    return { featureIdx: features.map((c) => index.get(c)!), features, dropped: [] };
  }
  const features: string[] = [];
  const dropped: string[] = [];
  cols.forEach((c, j) => {
    if (exclude.has(c)) return;
    let observed = 0;
    let numeric = true;
    for (const row of chunk.rows) {
      const cell = row.cells[j];
      if (cell === null || cell === undefined) continue;
      observed++;
      if (!Number.isFinite(parseCellNumber(cell, chunk.delimiter))) {
        numeric = false;
        break;
      }
    }
    if (numeric && observed > 0) features.push(c);
    else dropped.push(c);
  });
  if (!features.length) throw new InputError(`no numeric columns found (columns: ${cols.join(', ')})`);
  const considered = features.length + dropped.length;
  if (dropped.length * 2 > considered) {
    throw new InputError(
      `${dropped.length} of ${considered} columns hold non-numeric values and would be left out (${quoted(dropped)}), ` +
        `leaving ${quoted(features)}; if the file was read right, name the features with --columns or leave columns out with --exclude`,
    );
  }
  return { featureIdx: features.map((c) => index.get(c)!), features, dropped };
}

/** Throws when a feature is named like a label or is constant (or empty) over the training rows. */
function refuseLabelLikeColumns(
  features: readonly string[], values: Float32Array, timeSeries: boolean, labelsAreData: boolean, f = features.length,
): void {
  refuseLabelLike(features, (j) => {
    let first = NaN;
    for (let i = j; i < values.length; i += f) {
      const v = values[i]!;
      if (v !== v) continue;
      if (first !== first) first = v;
      else if (v !== first) return null;
    }
    return first !== first ? 'no values' : 'constant';
  }, timeSeries, labelsAreData);
}

/** The label check on what is known of each feature over the whole table: `degenerate(j)` says it has no values or one. */
export function refuseLabelLike(
  features: readonly string[], degenerate: (j: number) => 'no values' | 'constant' | null, timeSeries = false, labelsAreData = false,
): void {
  const suspects: [name: string, why: string][] = [];
  features.forEach((name, j) => {
    if (!labelsAreData && LABEL_NAMES.includes(name.toLowerCase())) {
      suspects.push([name, 'named like a label']);
      return;
    }
    const why = degenerate(j);
    // a flat metric is a series (auto-series warns about it): only a column with no values is refused then
    if (why === 'constant' && timeSeries) return;
    if (why) suspects.push([name, why === 'no values' ? 'no values' : 'constant in the training data']);
  });
  if (!suspects.length) return;
  throw new InputError(
    `column(s) ${suspects.map(([name, why]) => `'${name}' (${why})`).join(', ')} look like a label or carry no information, ` +
      `not a feature; leave them out with --exclude ${suspects.map(([name]) => name).join(',')}, ` +
      `or name the features to train on with --columns`,
  );
}

function quoted(names: readonly string[]): string {
  return names.map((c) => `'${c}'`).join(', ');
}
