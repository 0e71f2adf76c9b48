/**
 * Which scoring state an object of a series is scored from, and what becomes of the stored state (issue 12.5).
 * Pure: the caller reads the stored record, asks `decideState`, scores, then asks `nextRecord` what to write.
 * Generic over the state itself (scoring/series-state.ts's SeriesState in the Lambda).
 *
 * Rules (docs/contract.md, "Series state across objects"):
 * - no record: `fresh` (NO_STATE); the new state is created (the write must find no object).
 * - the object is the record's last object (same key and version): `replay` from the state *before* it, so a
 *   redelivery gives the same output; the record is left as it is.
 * - the object is one of the record's RECENT_OBJECTS earlier objects: `skip` (ALREADY_SCORED): its output stands.
 * - the object starts after the record's last object: `resume` from the record's state; the new state replaces
 *   it (the write must find the record it read). "After": its first row's time is later than the last
 *   object's last row's time when both are known, else its key sorts after the last object's key.
 * - otherwise (older or overlapping): `fresh` (OUT_OF_ORDER), scored with no context; the record is left as it is.
 */

export const RECENT_OBJECTS = 100;

export interface SeriesObject {
  key: string;
  /** the object's version id (versioned bucket), else null: then the key alone names the object */
  version: string | null;
  /** epoch ms of the object's first and last scored rows; null without a time column or rows */
  first_time_ms: number | null;
  last_time_ms: number | null;
}

export interface StateRecord<S> {
  schema: 1;
  model: { name: string; version: string };
  series: string;
  /** the state after `last_object` */
  state: S;
  /** the state `last_object` was scored from (null: it was scored fresh) */
  previous: S | null;
  last_object: SeriesObject;
  /** [key, version] of the objects scored into this state, oldest first, the last object included */
  recent: [string, string | null][];
}

export type StateDecision<S> =
  | { use: 'fresh'; reason: 'NO_STATE' | 'STATE_UNREADABLE'; from: null; write: 'create' | 'replace' }
  | { use: 'resume'; reason: 'IN_ORDER'; from: S; write: 'replace' }
  | { use: 'replay'; reason: 'REDELIVERED'; from: S | null; write: 'none' }
  | { use: 'fresh'; reason: 'OUT_OF_ORDER'; from: null; write: 'none' }
  | { use: 'skip'; reason: 'ALREADY_SCORED'; from: null; write: 'none' };

const same = (a: { key: string; version: string | null }, key: string, version: string | null) => a.key === key && a.version === version;

/**
 * `record` null: no stored state; `unreadable`: a stored object that is not a state record (it is replaced).
 * `object.last_time_ms` is not used here (it is known only once the object is scored).
 */
export function decideState<S>(
  record: StateRecord<S> | null, object: Omit<SeriesObject, 'last_time_ms'>, unreadable = false,
): StateDecision<S> {
  if (record === null) {
    return unreadable
      ? { use: 'fresh', reason: 'STATE_UNREADABLE', from: null, write: 'replace' }
      : { use: 'fresh', reason: 'NO_STATE', from: null, write: 'create' };
  }
  const last = record.last_object;
  if (same(last, object.key, object.version)) return { use: 'replay', reason: 'REDELIVERED', from: record.previous, write: 'none' };
  if (record.recent.some(([key, version]) => key === object.key && version === object.version))
    return { use: 'skip', reason: 'ALREADY_SCORED', from: null, write: 'none' };
  const timed = object.first_time_ms !== null && last.last_time_ms !== null;
  const after = timed ? object.first_time_ms! > last.last_time_ms! : object.key > last.key;
  if (after) return { use: 'resume', reason: 'IN_ORDER', from: record.state, write: 'replace' };
  return { use: 'fresh', reason: 'OUT_OF_ORDER', from: null, write: 'none' };
}

/** The record to write once `object` was scored into `state` under `decision`, or null when nothing is written. */
export function nextRecord<S>(
  record: StateRecord<S> | null,
  decision: StateDecision<S>,
  object: SeriesObject,
  state: S,
  where: { model: { name: string; version: string }; series: string },
): StateRecord<S> | null {
  if (decision.write === 'none') return null;
  const kept = decision.use === 'resume' && record ? record.recent : [];
  const recent: [string, string | null][] = [...kept, [object.key, object.version] as [string, string | null]].slice(-RECENT_OBJECTS);
  return { schema: 1, model: where.model, series: where.series, state, previous: decision.from, last_object: object, recent };
}

/** A stored record's shape, checked before it is trusted (the state itself is checked by its owner). */
export function isStateRecord(value: unknown, model: { name: string; version: string }): value is StateRecord<unknown> {
  const r = value as Partial<StateRecord<unknown>> | null;
  if (r === null || typeof r !== 'object' || r.schema !== 1 || typeof r.series !== 'string' || !('state' in r)) return false;
  if (r.model?.name !== model.name || r.model.version !== model.version) return false;
  const last = r.last_object as Partial<SeriesObject> | undefined;
  const time = (t: unknown) => t === null || (typeof t === 'number' && Number.isFinite(t));
  if (!last || typeof last.key !== 'string' || !(last.version === null || typeof last.version === 'string')) return false;
  if (!time(last.first_time_ms) || !time(last.last_time_ms)) return false;
  const entry = (e: unknown) => Array.isArray(e) && typeof e[0] === 'string' && (e[1] === null || typeof e[1] === 'string');
  return Array.isArray(r.recent) && r.recent.every(entry);
}

/** What a scoring summary says about the state (`series_state`, docs/contract.md); known before scoring starts. */
export interface SeriesStateSummary {
  key: string;
  series: string;
  use: StateDecision<unknown>['use'];
  reason: StateDecision<unknown>['reason'];
  /** the state is created or replaced by this object; the invocation fails (and is retried) if that write fails */
  updates_state: boolean;
}
