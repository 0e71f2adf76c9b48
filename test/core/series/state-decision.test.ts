import {
  decideState, isStateRecord, nextRecord, RECENT_OBJECTS, type SeriesObject, type StateRecord,
} from '../../../core/series/state-decision';

const model = { name: 'm', version: 'v1' };
const where = { model, series: 's' };
const obj = (key: string, first: number | null, last: number | null, version: string | null = null): SeriesObject =>
  ({ key, version, first_time_ms: first, last_time_ms: last });

/** Scores a run of objects the way the Lambda does; a state is the list of keys scored into it. */
function run(objects: SeriesObject[], start: StateRecord<string[]> | null = null) {
  let record = start;
  const outputs: { key: string; from: string[] | null; use: string; reason: string }[] = [];
  for (const o of objects) {
    const d = decideState(record, o);
    if (d.use === 'skip') {
      outputs.push({ key: o.key, from: null, use: d.use, reason: d.reason });
      continue;
    }
    const after = [...(d.from ?? []), o.key];
    outputs.push({ key: o.key, from: d.from, use: d.use, reason: d.reason });
    record = nextRecord(record, d, o, after, where) ?? record;
  }
  return { record, outputs };
}

describe('decideState / nextRecord', () => {
  const a = obj('incoming/m/s/01.csv', 0, 99);
  const b = obj('incoming/m/s/02.csv', 100, 199);
  const c = obj('incoming/m/s/03.csv', 200, 299);

  test('objects in order resume from the state; the first is fresh and creates it', () => {
    const { record, outputs } = run([a, b, c]);
    expect(outputs.map((o) => [o.use, o.reason])).toEqual([['fresh', 'NO_STATE'], ['resume', 'IN_ORDER'], ['resume', 'IN_ORDER']]);
    expect(record!.state).toEqual([a.key, b.key, c.key]);
    expect(record!.previous).toEqual([a.key, b.key]);
    expect(record!.recent.map(([k]) => k)).toEqual([a.key, b.key, c.key]);
    expect(decideState(null, a).write).toBe('create');
    expect(decideState(record, obj('incoming/m/s/04.csv', 300, 399)).write).toBe('replace');
  });

  test('a redelivered last object is replayed from the state before it, and leaves the record as it was', () => {
    const first = run([a, b]);
    const again = run([b], first.record);
    expect(again.outputs[0]).toMatchObject({ use: 'replay', reason: 'REDELIVERED', from: [a.key] });
    // the same input state as the first delivery, so the same output; the record is untouched
    expect(again.outputs[0]!.from).toEqual(first.outputs[1]!.from);
    expect(again.record).toBe(first.record);
    expect(decideState(first.record, b).write).toBe('none');
  });

  test('a redelivered earlier object is skipped (its output stands), the record untouched', () => {
    const first = run([a, b, c]);
    const again = run([a], first.record);
    expect(again.outputs[0]).toMatchObject({ use: 'skip', reason: 'ALREADY_SCORED' });
    expect(again.record).toBe(first.record);
  });

  test('an object older than the state is scored fresh and never touches the state; a later object still resumes', () => {
    const late = obj('incoming/m/s/00.csv', -100, -1);
    const overlap = obj('incoming/m/s/02b.csv', 150, 250);
    const { record, outputs } = run([a, b, late, overlap, c]);
    expect(outputs.map((o) => [o.key, o.use, o.reason])).toEqual([
      [a.key, 'fresh', 'NO_STATE'], [b.key, 'resume', 'IN_ORDER'], [late.key, 'fresh', 'OUT_OF_ORDER'],
      [overlap.key, 'fresh', 'OUT_OF_ORDER'], [c.key, 'resume', 'IN_ORDER'],
    ]);
    expect(outputs[2]!.from).toBeNull();
    expect(record!.state).toEqual([a.key, b.key, c.key]);
    // redelivered, the late object gets the same (fresh) output again
    expect(decideState(record, late)).toMatchObject({ use: 'fresh', reason: 'OUT_OF_ORDER', from: null, write: 'none' });
  });

  test('without times, key order decides', () => {
    const x = obj('incoming/m/s/2026-12-02T01.csv', null, null);
    const y = obj('incoming/m/s/2026-12-02T02.csv', null, null);
    const { outputs } = run([y, x]);
    expect(outputs.map((o) => o.reason)).toEqual(['NO_STATE', 'OUT_OF_ORDER']);
    expect(run([x, y]).outputs.map((o) => o.reason)).toEqual(['NO_STATE', 'IN_ORDER']);
  });

  test('versions name objects: a rewritten key is a new object, ordered by its times', () => {
    const v1 = obj('incoming/m/s/x.csv', 0, 9, 'ver1');
    const v2 = obj('incoming/m/s/x.csv', 10, 19, 'ver2');
    const stale = obj('incoming/m/s/x.csv', 0, 9, 'ver0');
    const { outputs } = run([v1, v2, v1, stale]);
    expect(outputs.map((o) => o.reason)).toEqual(['NO_STATE', 'IN_ORDER', 'ALREADY_SCORED', 'OUT_OF_ORDER']);
  });

  test('an unreadable stored state is replaced by a fresh one', () => {
    const d = decideState<string[]>(null, a, true);
    expect(d).toMatchObject({ use: 'fresh', reason: 'STATE_UNREADABLE', write: 'replace' });
    expect(nextRecord(null, d, a, ['x'], where)).toMatchObject({ previous: null, recent: [[a.key, null]] });
  });

  test('the recent list keeps the last RECENT_OBJECTS objects', () => {
    const name = (i: number) => `incoming/m/s/${String(i).padStart(4, '0')}.csv`;
    const many = Array.from({ length: RECENT_OBJECTS + 5 }, (_, i) => obj(name(i), i * 10, i * 10 + 9));
    const { record } = run(many);
    expect(record!.recent).toHaveLength(RECENT_OBJECTS);
    expect(record!.recent[0]![0]).toBe(many[5]!.key);
    // an object older than the list is no longer recognised: it is out of order (fresh, state untouched)
    expect(decideState(record, many[0]!)).toMatchObject({ use: 'fresh', reason: 'OUT_OF_ORDER' });
  });

  test('isStateRecord checks the shape and the model', () => {
    const { record } = run([a]);
    const json = JSON.parse(JSON.stringify(record));
    expect(isStateRecord(json, model)).toBe(true);
    expect(isStateRecord(json, { name: 'm', version: 'v2' })).toBe(false);
    expect(isStateRecord({ ...json, schema: 2 }, model)).toBe(false);
    expect(isStateRecord({ ...json, recent: [[1, null]] }, model)).toBe(false);
    expect(isStateRecord({ ...json, last_object: { ...json.last_object, last_time_ms: 'x' } }, model)).toBe(false);
    expect(isStateRecord(null, model)).toBe(false);
    expect(isStateRecord('text', model)).toBe(false);
  });
});
