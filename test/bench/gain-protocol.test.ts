import { gainRmse, mcarMask, meanImpute, meanSd, roundCategorical } from '../../bench/quality/gain-protocol';
import { stratifiedSplit } from '../../bench/quality/split';

describe('GAIN protocol', () => {
  it('hides about the requested fraction of cells at random', () => {
    const mask = mcarMask(100_000, 0.2, 7);
    const missing = mask.reduce((s, m) => s + (m ? 0 : 1), 0) / mask.length;
    expect(missing).toBeGreaterThan(0.195);
    expect(missing).toBeLessThan(0.205);
  });

  it('measures RMSE on missing cells only, in min-max units of the complete data', () => {
    // column 0 spans 0..10, column 1 spans 0..2; one missing cell per column, each off by its full range / 2
    const truth = Float64Array.from([0, 0, 10, 2, 5, 1]);
    const imputed = Float64Array.from([5, 0, 10, 2, 5, 2]);
    const mask = Uint8Array.from([0, 1, 1, 1, 1, 0]);
    const expected = Math.sqrt(((5 / (10 + 1e-6)) ** 2 + (1 / (2 + 1e-6)) ** 2) / 2);
    expect(gainRmse(truth, imputed, mask, 2)).toBeCloseTo(expected, 12);
  });

  it('ignores errors on observed cells', () => {
    const truth = Float64Array.from([0, 1, 2, 3]);
    const mask = Uint8Array.from([1, 1, 0, 1]);
    expect(gainRmse(truth, Float64Array.from([9, 9, 2, 9]), mask, 1)).toBe(0);
  });

  it('rounds only columns with fewer than 20 distinct observed values', () => {
    const rows = 30;
    const observed = new Float64Array(rows * 2);
    for (let r = 0; r < rows; r++) {
      observed[r * 2] = r % 3; // 3 distinct: categorical
      observed[r * 2 + 1] = r * 0.5; // 30 distinct: continuous
    }
    const imputed = observed.map((v) => v + 0.3);
    const out = roundCategorical(imputed, observed, new Uint8Array(rows * 2).fill(1), 2);
    expect(out[0]).toBe(0);
    expect(out[1]).toBeCloseTo(0.3, 12);
  });

  it('fills missing cells with the observed column mean', () => {
    const values = Float64Array.from([1, 10, 3, 99, NaN, 30]);
    const out = meanImpute(values, Uint8Array.from([1, 1, 1, 0, 0, 1]), 2);
    expect(Array.from(out)).toEqual([1, 10, 3, 20, 2, 30]);
  });

  it('reports the sample standard deviation', () => {
    expect(meanSd([1, 2, 3])).toEqual({ mean: 2, sd: 1 });
  });
});

describe('stratifiedSplit', () => {
  it('keeps each label in the requested proportion', () => {
    const labels = Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 1 : 0));
    const { train, test } = stratifiedSplit(labels, 0.6, 42);
    expect(train.filter((i) => labels[i] === 1)).toHaveLength(60);
    expect(test.filter((i) => labels[i] === 1)).toHaveLength(40);
    expect(train.length + test.length).toBe(1000);
  });

  it('puts every row in exactly one part', () => {
    const { train, test } = stratifiedSplit([0, 1, 0, 1, 0, 1, 0], 0.5, 1);
    expect([...train, ...test].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
