import { applyScaler, fitScaler, invertScaler } from '../../core/scaler';

describe('fitScaler', () => {
  it('fits standard offset=mean and scale=population std per feature', () => {
    const p = fitScaler(Float32Array.from([1, 10, 3, 20, 5, 30]), 2, 'standard');
    expect(p.offset[0]).toBeCloseTo(3);
    expect(p.offset[1]).toBeCloseTo(20);
    expect(p.scale[0]).toBeCloseTo(Math.sqrt(8 / 3));
    expect(p.scale[1]).toBeCloseTo(Math.sqrt(200 / 3));
  });

  it('fits min-max offset=min and scale=range', () => {
    const p = fitScaler(Float32Array.from([1, 10, 3, 20, 5, 30]), 2, 'minmax');
    expect(p).toEqual({ kind: 'minmax', offset: [1, 10], scale: [4, 20] });
  });

  it('fits global offset=mean and scale=std over all cells, repeated per feature', () => {
    const p = fitScaler(Float32Array.from([1, 3, 5, NaN]), 2, 'global');
    expect(p.kind).toBe('global');
    expect(p.offset).toEqual([3, 3]);
    expect(p.scale[0]).toBeCloseTo(Math.sqrt(8 / 3));
    expect(p.scale[1]).toBe(p.scale[0]);
  });

  it('rejects an unknown scaler kind, naming it', () => {
    expect(() => fitScaler(Float32Array.from([1, 2]), 2, 'quantile' as never))
      .toThrow(/scaler must be one of standard, minmax, global, robust, got 'quantile'/);
  });

  it('ignores NaN cells when fitting', () => {
    const p = fitScaler(Float32Array.from([1, NaN, 3, 4, NaN, 6]), 2, 'standard');
    expect(p.offset).toEqual([2, 5]);
  });

  it('gives constant and all-missing features scale 1', () => {
    const p = fitScaler(Float32Array.from([7, NaN, 7, NaN]), 2, 'standard');
    expect(p.scale).toEqual([1, 1]);
    expect(p.offset).toEqual([7, 0]);
  });

  it('rejects values that are not a multiple of the feature count, naming both', () => {
    expect(() => fitScaler(new Float32Array(5), 2)).toThrow(/length 5 .* features 2/);
  });
});

describe('applyScaler / invertScaler', () => {
  it('round-trips values and keeps NaN missing', () => {
    const p = { kind: 'standard' as const, offset: [1, 2], scale: [2, 4] };
    const raw = Float32Array.from([3, 10, NaN, 2]);
    const scaled = applyScaler(p, raw);
    expect(Array.from(scaled.subarray(0, 2))).toEqual([1, 2]);
    expect(Number.isNaN(scaled[2])).toBe(true);
    expect(Array.from(invertScaler(p, scaled))).toEqual([3, 10, NaN, 2]);
  });
});
