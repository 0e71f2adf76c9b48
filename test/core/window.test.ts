import { makeWindows, windowCount, windowEndingAt } from '../../core/window';

describe('windows', () => {
  const values = Float32Array.from({ length: 12 }, (_, i) => i); // 6 rows × 2 features

  it('counts full windows only', () => {
    expect(windowCount(6, 3, 2)).toBe(2);
    expect(windowCount(2, 3, 1)).toBe(0);
  });

  it('cuts windows of size rows every stride rows', () => {
    const w = makeWindows(values, 2, 3, 2);
    expect(w.count).toBe(2);
    expect(Array.from(w.values)).toEqual([0, 1, 2, 3, 4, 5, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(w.ends)).toEqual([2, 4]);
  });

  it('maps each row to the window ending at it, -1 elsewhere', () => {
    expect(Array.from(windowEndingAt(6, 3, 2))).toEqual([-1, -1, 0, -1, 1, -1]);
  });

  it('rejects a zero stride, naming it', () => {
    expect(() => makeWindows(values, 2, 3, 0)).toThrow(/stride must be a positive integer, got 0/);
  });
});
