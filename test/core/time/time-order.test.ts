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

  it('summarises steps as sorting every step would: median (even and odd counts), gaps, irregular steps, largest gap', () => {
    for (const steps of [[5, 5, 5, 60, 5, 7, 5, 5], [300, 300, 900, 300, 1, 300, 300], [10, 20], [7]]) {
      const order = new TimeOrder(0, ['t']);
      let t = 1_700_000_000; // epoch seconds
      const rows = [{ cells: [String(t)], line: 2 }, ...steps.map((s, i) => ({ cells: [String((t += s))], line: i + 3 }))];
      order.check(rows.slice(0, 3) as TableRow[]);
      order.check(rows.slice(3) as TableRow[]);
      const ms = steps.map((s) => s * 1000).sort((a, b) => a - b);
      const n = ms.length;
      const median = n % 2 ? ms[(n - 1) / 2]! : (ms[n / 2 - 1]! + ms[n / 2]!) / 2;
      expect(order.summary()).toMatchObject({
        rows: n + 1, steps: n, median_step_ms: median, largest_gap_ms: ms[n - 1],
        gaps: ms.filter((s) => s > order.summary().gap_factor * median).length, irregular_steps: ms.filter((s) => s !== median).length,
      });
    }
  });
});
