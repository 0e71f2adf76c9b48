import type { TableRow } from '../io';

/**
 * The times of the rows a later step kept, from the ones TimeOrder already parsed: `rows` and `times` are
 * TimeOrder.check's `keep` and `times`, `kept` the rows (a subsequence of `rows`, same objects, same order) that
 * feature extraction kept. Saves parsing the time column a second time. Throws where `kept` is not such a
 * subsequence (a caller bug: a silent mismatch would pair rows with other rows' times).
 */
export function keptTimes(rows: readonly TableRow[], times: Float64Array, kept: readonly TableRow[]): Float64Array {
  if (times.length !== rows.length) throw new Error(`keptTimes: ${rows.length} rows but ${times.length} times`);
  const out = new Float64Array(kept.length);
  let j = 0;
  for (let i = 0; i < kept.length; i++) {
    const row = kept[i]!;
    while (j < rows.length && rows[j] !== row) j++;
    if (j === rows.length) throw new Error(`keptTimes: kept row ${i} (line ${row.line}) is not among the timed rows, in order`);
    out[i] = times[j++]!;
  }
  return out;
}
