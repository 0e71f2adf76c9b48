import {
  decideState, isStateRecord, nextRecord, type SeriesObject, type SeriesStateSummary, type StateDecision, type StateRecord,
} from '../../core/series/state-decision';
import type { ObjectLocation, ObjectStore } from '../../storage/object-store';
import type { IncomingKey } from './object-keys';

export type { SeriesStateSummary } from '../../core/series/state-decision';

/** Per-series scoring state lives in the results bucket under this prefix (never a scored or triggering prefix). */
export const STATE_PREFIX = 'state/';

/**
 * The series of an incoming object: the first folder below `incoming/<model>/` (`incoming/<model>/<series>/…`).
 * An object directly under `incoming/<model>/` belongs to no series and is scored without state, as before.
 */
export function seriesOf(incoming: Pick<IncomingKey, 'path'>): string | null {
  const slash = incoming.path.indexOf('/');
  return slash > 0 ? incoming.path.slice(0, slash) : null;
}

/** `state/<model>/<model version>/<series>.json`: a new model version starts every series afresh. */
export function seriesStateKey(model: string, version: string, series: string): string {
  return `${STATE_PREFIX}${model}/${version}/${series}.json`;
}

export interface LoadedSeriesState<S> extends StoredSeriesState<S> {
  decision: StateDecision<S>;
}

export interface StoredSeriesState<S> {
  location: ObjectLocation;
  /** the stored record's ETag (null: none stored), the condition of the write that replaces it */
  etag: string | null;
  record: StateRecord<S> | null;
  /** an object was stored but it is not a state record of this model version */
  unreadable: boolean;
  model: { name: string; version: string };
  series: string;
}

/**
 * Reads a series' state record (one GET). Start it as soon as the model version is known, beside opening the
 * table: only `decideSeriesState` needs the object's first row. A stored object that is not JSON or not a record
 * of this model version is `unreadable` (reported as STATE_UNREADABLE and replaced after scoring); `isState`
 * checks the state inside (SeriesState's own shape).
 */
export async function readSeriesState<S>(
  store: ObjectStore,
  where: { bucket: string; model: { name: string; version: string }; series: string },
  isState: (value: unknown) => value is S,
): Promise<StoredSeriesState<S>> {
  const location = { bucket: where.bucket, key: seriesStateKey(where.model.name, where.model.version, where.series) };
  const stored = await store.getTagged(location);
  let record: StateRecord<S> | null = null;
  if (stored) {
    const parsed = parseJson(stored.bytes);
    const ok = isStateRecord(parsed, where.model) && isState(parsed.state) && (parsed.previous === null || isState(parsed.previous));
    record = ok ? (parsed as StateRecord<S>) : null;
  }
  const unreadable = stored !== null && record === null;
  return { location, etag: stored?.etag ?? null, record, unreadable, model: where.model, series: where.series };
}

/** What the object is scored from (core/series/state-decision.ts), given its key, version and first row's time. */
export function decideSeriesState<S>(stored: StoredSeriesState<S>, object: Omit<SeriesObject, 'last_time_ms'>): LoadedSeriesState<S> {
  return { ...stored, decision: decideState(stored.record, object, stored.unreadable) };
}

/** readSeriesState then decideSeriesState. */
export async function loadSeriesState<S>(
  store: ObjectStore,
  where: { bucket: string; model: { name: string; version: string }; series: string },
  object: Omit<SeriesObject, 'last_time_ms'>,
  isState: (value: unknown) => value is S,
): Promise<LoadedSeriesState<S>> {
  return decideSeriesState(await readSeriesState(store, where, isState), object);
}

/**
 * Writes the state after the object was scored, conditionally: created only if still absent, replaced only if
 * still the record that was read. Another writer in between (two objects of one series at once) throws
 * PreconditionFailedError (retryable): the object is retried and decides afresh on the newer state.
 * Returns whether anything was written.
 */
export async function saveSeriesState<S>(
  store: ObjectStore, loaded: LoadedSeriesState<S>, object: SeriesObject, state: S,
): Promise<boolean> {
  const record = nextRecord(loaded.record, loaded.decision, object, state, { model: loaded.model, series: loaded.series });
  if (record === null) return false;
  const condition = loaded.etag === null ? { ifNoneMatch: '*' as const } : { ifMatch: loaded.etag };
  await store.putIf(loaded.location, JSON.stringify(record), condition, { contentType: 'application/json' });
  return true;
}

/** What the summary says about the state (`series_state`, docs/contract.md); known before scoring starts. */
export function seriesStateSummary(loaded: LoadedSeriesState<unknown>): SeriesStateSummary {
  const { use, reason, write } = loaded.decision;
  return { key: loaded.location.key, series: loaded.series, use, reason, updates_state: write !== 'none' };
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}
