import { AdaptiveBins, Reservoir } from '../../reporting/adaptive-bins';
import { addScore, scoreBins, spans } from '../../reporting/score-bins';

describe('one-pass downsampling for the report charts', () => {
  test.each([7, 1999, 2000, 2001, 123457])('%i rows end in a bounded number of bins that keep every extreme and every flag', (n) => {
    const bins = scoreBins(1000);
    let max = -Infinity;
    let maxRow = -1;
    let flagged = 0;
    for (let row = 0; row < n; row++) {
      const score = Math.sin(row * 0.37) + (row % 9973 === 5 ? 50 + row / n : 0);
      const bin = bins.at(row);
      addScore(bin, row, score);
      if (score > max) [max, maxRow] = [score, row];
      if (score > 10) {
        bin.flagged++;
        flagged++;
      }
    }
    const entries = bins.entries();
    expect(entries.length).toBeLessThanOrEqual(2000);
    if (n >= 2000) expect(entries.length).toBeGreaterThanOrEqual(1000);
    else expect(entries.length).toBe(n);
    expect(entries.reduce((s, e) => s + e.bin.count, 0)).toBe(n);
    expect(entries.reduce((s, e) => s + e.rows, 0)).toBe(n);
    expect(entries.reduce((s, e) => s + e.bin.flagged, 0)).toBe(flagged);
    const best = entries.reduce((a, e) => (e.bin.max > a.bin.max ? e : a));
    expect([best.bin.max, best.bin.maxRow]).toEqual([max, maxRow]);
    // each spike is the max of its own bin
    for (let row = 5; row < n; row += 9973) {
      const e = entries.find((x) => row >= x.start && row < x.start + x.rows)!;
      expect(e.bin.maxRow).toBe(row);
    }
  });

  test('flagged bins become row spans; beyond the cap the longest are kept, in row order', () => {
    const entries = [0, 1, 1, 0, 1, 0, 0, 1].map((on, i) => ({ start: i * 10, rows: 10, on: on === 1 }));
    expect(spans(entries)).toEqual([
      [10, 30],
      [40, 50],
      [70, 80],
    ]);
    expect(spans(entries, 2)).toEqual([
      [10, 30],
      [40, 50],
    ]);
    expect(spans(entries, 1)).toEqual([[10, 30]]);
  });

  test('the reservoir keeps a uniform, reproducible sample', () => {
    const a = new Reservoir<number>(1000, 3);
    const b = new Reservoir<number>(1000, 3);
    for (let i = 0; i < 100000; i++) {
      a.add(i);
      b.add(i);
    }
    expect(a.items).toEqual(b.items);
    expect(a.seen).toBe(100000);
    const mean = a.items.reduce((s, v) => s + v, 0) / a.items.length;
    expect(Math.abs(mean - 50000)).toBeLessThan(3000);
    expect(a.items.filter((v) => v < 50000).length).toBeGreaterThan(400);
  });

  test('bins double in width as rows arrive and merge with the given function', () => {
    const bins = new AdaptiveBins<{ n: number }>(
      4,
      () => ({ n: 0 }),
      (x, y) => void (x.n += y.n),
    );
    for (let r = 0; r < 100; r++) bins.at(r).n++;
    expect(bins.binWidth).toBe(16);
    expect(bins.entries().map((e) => e.bin.n)).toEqual([16, 16, 16, 16, 16, 16, 4]);
    expect(bins.entries()[6]).toMatchObject({ start: 96, rows: 4 });
  });
});
