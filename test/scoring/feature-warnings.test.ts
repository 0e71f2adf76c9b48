import { emptyStats } from '../../scoring/score-shapes';
import { featureWarnings } from '../../scoring/write-scored-output';

describe('featureWarnings: a feature with no value in any accepted row', () => {
  const stats = (rowsIn: number, rejected: number, missing: number[]) =>
    ({ ...emptyStats(), rowsIn, rowsRejected: rejected, missingCells: missing });

  it('names every such feature once, with the accepted rows (rejected rows do not count)', () => {
    const w = featureWarnings('detect', ['a', 'b', 'c'], stats(10, 2, [8, 3, 8]));
    expect(w).toEqual(["FEATURE_WITHOUT_VALUES: 'a', 'c' had no value in any of the 8 row(s) read: " +
      'rows were scored on the other features only (as missing cells)']);
  });

  it('says what the output cells are in impute and denoise', () => {
    for (const mode of ['impute', 'denoise'] as const) {
      expect(featureWarnings(mode, ['a', 'b'], stats(5, 0, [0, 5]))[0]).toMatch(/^FEATURE_WITHOUT_VALUES: 'b' .*the model's fill/);
    }
  });

  it('no warning when every feature has a value somewhere, or no row was accepted', () => {
    expect(featureWarnings('detect', ['a', 'b'], stats(5, 0, [4, 4]))).toEqual([]);
    expect(featureWarnings('detect', ['a', 'b'], stats(5, 5, [0, 0]))).toEqual([]);
    expect(featureWarnings('impute', ['a', 'b'], stats(0, 0, []))).toEqual([]);
  });
});
