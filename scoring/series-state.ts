import { InputError } from '../core/errors';
import type { Manifest } from '../core/manifest';
import type { RowContext } from './window-stage';

export interface SeriesState {
  schema: 1;
  model: { name: string; version: string };
  /** time-column text of the last scored row and its epoch milliseconds; null without a time column */
  last_time: string | null;
  last_time_ms: number | null;
  rows_seen: number;
  /** the last (window size − 1) input rows a windowed model needs as context, raw units, row-major; null = missing cell */
  window_tail: (number | null)[];
  /** ProbabilityModel.snapshot() after the last row, or null */
  probability: unknown;
}

/** A state file or object that cannot resume this scoring run (wrong model or version, wrong shape). Exit 2 in the CLI. */
export class SeriesStateError extends InputError {
  override readonly code = 'INVALID_STATE';
}

/**
 * Checks a parsed state against the model that will resume from it: schema 1, the same model name and version,
 * a window tail of whole rows (at most window size − 1 of them, none for a rows model), counts that make sense.
 * `where` names the state (a file path or key) in the error; no value from the state is ever put in a message.
 */
export function checkSeriesState(value: unknown, manifest: Manifest, where: string): SeriesState {
  const bad = (why: string): never => {
    throw new SeriesStateError(`state ${where} cannot be used: ${why}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad('it is not a JSON object');
  const s = value as Partial<SeriesState>;
  if (s.schema !== 1) bad('unknown schema (expected 1)');
  if (typeof s.model !== 'object' || s.model === null || typeof s.model.name !== 'string' || typeof s.model.version !== 'string')
    bad('it names no model');
  if (s.model!.name !== manifest.name || s.model!.version !== manifest.version)
    bad(`it was written by model '${s.model!.name}' version '${s.model!.version}', not '${manifest.name}' version '${manifest.version}'`);
  if (!Number.isInteger(s.rows_seen) || s.rows_seen! < 0) bad('rows_seen is not a row count');
  const timed = s.last_time !== null && s.last_time !== undefined;
  if (timed ? typeof s.last_time !== 'string' || typeof s.last_time_ms !== 'number' || !Number.isFinite(s.last_time_ms)
    : s.last_time_ms !== null && s.last_time_ms !== undefined) bad('last_time and last_time_ms do not match');
  if (!Array.isArray(s.window_tail) || !s.window_tail.every((v) => v === null || (typeof v === 'number' && Number.isFinite(v))))
    bad('window_tail is not a list of numbers and nulls');
  const f = manifest.features.length;
  const maxRows = manifest.window ? manifest.window.size - 1 : 0;
  const tail = s.window_tail!;
  if (tail.length % f !== 0 || tail.length / f > maxRows || tail.length / f > s.rows_seen!)
    bad(`window_tail does not hold whole rows of ${f} features (at most ${maxRows} rows)`);
  return {
    schema: 1, model: { name: s.model!.name, version: s.model!.version }, last_time: timed ? s.last_time! : null,
    last_time_ms: timed ? s.last_time_ms! : null, rows_seen: s.rows_seen!, window_tail: tail, probability: s.probability ?? null,
  };
}

/** Parses state JSON text (see checkSeriesState). */
export function parseSeriesState(text: string, manifest: Manifest, where: string): SeriesState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SeriesStateError(`state ${where} cannot be used: it is not valid JSON`);
  }
  return checkSeriesState(value, manifest, where);
}

/** The window stage's starting context of a state: its window tail as x and mask (null → missing: NaN, mask 0). */
export function contextOfState(state: SeriesState, features: number): RowContext {
  const tail = state.window_tail;
  const x = new Float32Array(tail.length);
  const mask = new Float32Array(tail.length);
  for (let i = 0; i < tail.length; i++) {
    const v = tail[i];
    x[i] = v === null || v === undefined ? NaN : v;
    mask[i] = v === null || v === undefined ? 0 : 1;
  }
  return { x, mask, rows: tail.length / features };
}

/** The state after a run: the stage's tail (missing cells as null), the rows seen, the last accepted time, the probability snapshot. */
export function nextSeriesState(
  manifest: Manifest, tail: RowContext, rowsSeen: number, last: { text: string; ms: number } | null, probability: unknown,
): SeriesState {
  const windowTail: (number | null)[] = new Array(tail.x.length);
  for (let i = 0; i < tail.x.length; i++) windowTail[i] = tail.mask[i]! > 0 ? tail.x[i]! : null;
  return {
    schema: 1, model: { name: manifest.name, version: manifest.version }, last_time: last?.text ?? null, last_time_ms: last?.ms ?? null,
    rows_seen: rowsSeen, window_tail: windowTail, probability,
  };
}
