import { extractFeatures, type TableRow } from '../../../core/io';
import { rowTimes } from '../../../core/series-impute/row-times';
import { keptTimes } from '../../../core/time/kept-times';
import { TimeOrder } from '../../../core/time/time-order';

const rows = (cells: [string, string][]) => cells.map((c, i) => ({ cells: [...c], line: i + 2 }) as TableRow);

describe('keptTimes', () => {
  it('gives the rows feature extraction kept the times TimeOrder parsed, the same as parsing them again', () => {
    const all = rows([
      ['2026-01-01T00:00:00Z', '1'], ['2026-01-01T00:01:00Z', 'x'], ['bad', '2'], ['1767225780', '3'],
      ['2026-01-01T00:04:00Z', ''], ['2026-01-01T00:05:00Z', 'y'], ['1767226000000', '4'],
    ]);
    const timed = new TimeOrder(0, ['t', 'v']).check(all);
    const batch = extractFeatures({ columns: ['t', 'v'], rows: timed.keep, rejected: [], delimiter: ',' }, [1]);
    expect(batch.keep.length).toBeLessThan(timed.keep.length);
    const times = keptTimes(timed.keep, timed.times, batch.keep);
    expect(Array.from(times)).toEqual(Array.from(rowTimes(batch.keep, 0)));
    expect(times.length).toBe(batch.keep.length);
  });

  it('throws where the kept rows are not the timed rows in order (never pairs a row with another row\'s time)', () => {
    const all = rows([['1', 'a'], ['2', 'b'], ['3', 'c']]);
    const times = new Float64Array([1, 2, 3]);
    expect(Array.from(keptTimes(all, times, [all[0]!, all[2]!]))).toEqual([1, 3]);
    expect(() => keptTimes(all, times, [all[2]!, all[0]!])).toThrow(/not among the timed rows/);
    expect(() => keptTimes(all, times, [{ cells: ['1', 'a'], line: 2 } as TableRow])).toThrow(/line 2/);
    expect(() => keptTimes(all, times.subarray(1), all)).toThrow(/3 rows but 2 times/);
  });
});
