import type { TableRow } from '../../../core/io';
import { TimeOrder } from '../../../core/time/time-order';

describe('TimeOrder across calls', () => {
  it('carries the last accepted time from one chunk to the next (duplicates and older rows at a boundary are rejected)', () => {
    const order = new TimeOrder(0, ['timestamp', 'value']);
    const rows = (cells: string[], from: number) => cells.map((c, i) => ({ cells: [c, '1'], line: from + i }) as TableRow);
    const a = order.check(rows(['2026-01-01T00:00:00', '2026-01-01T00:05:00'], 2));
    expect(a.keep).toHaveLength(2);
    expect(order.last).toEqual({ text: '2026-01-01T00:05:00', ms: Date.UTC(2026, 0, 1, 0, 5) });
    const b = order.check(rows(['2026-01-01T00:05:00', '2026-01-01T00:04:00', 'x', '2026-01-01T00:10:00'], 4));
    expect(b.keep.map((r) => r.line)).toEqual([7]);
    expect(Array.from(b.times)).toEqual([Date.UTC(2026, 0, 1, 0, 10)]);
    expect(b.rejected.map((r) => r.reason.split(':')[0])).toEqual(['TIME_DUPLICATE', 'TIME_OUT_OF_ORDER', 'TIME_UNPARSEABLE']);
    const c = order.check(rows(['nope'], 8));
    expect(c.keep).toHaveLength(0);
    expect(order.last).toEqual({ text: '2026-01-01T00:10:00', ms: Date.UTC(2026, 0, 1, 0, 10) });
    expect(order.summary()).toMatchObject({ rows: 3, steps: 2, median_step_ms: 300_000, gaps: 0 });
  });

  it('resumes from a state time: the first row must be newer', () => {
    const order = new TimeOrder(0, ['t'], { text: '2026-01-01', ms: Date.UTC(2026, 0, 1) });
    const res = order.check([{ cells: ['2026-01-01'], line: 2 }, { cells: ['2026-01-02'], line: 3 }] as TableRow[]);
    expect(res.keep.map((r) => r.line)).toEqual([3]);
    expect(res.rejected[0]!.reason).toMatch(/^TIME_DUPLICATE/);
    expect(order.summary().steps).toBe(1);
  });
});
