import { nabHalf, probationRows } from '../../bench/quality/tasks/nab';
import { QualityBenchError } from '../../bench/quality/errors';

/** The NAB task's `--sets`: one half or all files, anything else a clear error; NAB's probationary rows. */
describe('bench nab --sets', () => {
  it('names the design or the held-out half, or all files without --sets', () => {
    expect(nabHalf(undefined)).toBeNull();
    expect(nabHalf([])).toBeNull();
    expect(nabHalf(['design'])).toBe('design');
    expect(nabHalf(['holdout'])).toBe('holdout');
  });

  it('refuses another set name or both halves at once', () => {
    expect(() => nabHalf(['held-out'])).toThrow(QualityBenchError);
    expect(() => nabHalf(['design', 'holdout'])).toThrow(/'design' or 'holdout', got 'design,holdout'/);
  });

  it('keeps min(floor(0.15 n), 750) probationary rows', () => {
    expect(probationRows(1624)).toBe(243);
    expect(probationRows(15902)).toBe(750);
  });
});
