import { Rng } from '../../core/rng';
import { contextFitWeights, meanSd } from '../../training/models/auto-series/context-fit';
import { seasonalErrors } from '../../training/models/auto-series/seasonal-member';
import { fitSeriesDetector, scoreSeriesWindows, trainingWindows } from '../../training/models/auto-series/series-detector';

/**
 * auto-series' seasonal member (the newest row against the row one period back) and the members' weights: the
 * error by hand, missing cells, a missed daily event that only the seasonal member sees, and the weight rules.
 */
/** A flat level with an 8-row step up once every `period` rows, plus noise; `skip` lists cycles without the step. */
function stepped(n: number, period: number, seed: number, skip: number[] = []): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, (_, i) => {
    const cycle = Math.floor(i / period);
    const up = i % period >= 40 && i % period < 48 && !skip.includes(cycle);
    return 5 + (up ? 3 : 0) + 0.05 * rng.normal();
  });
}

describe('auto-series seasonal member', () => {
  it('compares the newest row with the row P back in scaled units, over the features observed in both', () => {
    const scaler = { kind: 'robust' as const, offset: [1, 0], scale: [2, 1] };
    // one window of 4 rows, 2 features, P = 3: rows 0 and 3 are compared
    const x = Float32Array.from([1, 5, 0, 0, 0, 0, 7, 2]);
    const { error, cell } = seasonalErrors(3, 4, 2, scaler, x);
    expect(cell[0]).toBeCloseTo(9, 5); // ((7 − 1)/2 − 0)²
    expect(cell[1]).toBeCloseTo(9, 5); // (2 − 5)²
    expect(error[0]).toBeCloseTo(3, 5);
    const missing = Float32Array.from([1, NaN, 0, 0, 0, 0, 7, 2]);
    const m = seasonalErrors(3, 4, 2, scaler, missing);
    expect(m.cell[1]).toBe(0);
    expect(m.error[0]).toBeCloseTo(3, 5);
    expect(seasonalErrors(3, 4, 2, scaler, Float32Array.from([NaN, NaN, 0, 0, 0, 0, 7, 2])).error[0]).toBe(0);
  });

  it('scores a daily step that does not happen above the threshold; without the member it stays below', () => {
    const period = 96;
    const trainRows = stepped(480, period, 1);
    const det = fitSeriesDetector(trainRows, ['value']);
    expect(det.seasonal?.period).toBe(period);
    expect(det.window).toBe(period + 1);
    const plain = fitSeriesDetector(trainRows, ['value'], undefined, { seasonal: 0 });
    expect(plain.seasonal).toBeNull();
    const test = stepped(960, period, 2, [7]); // cycle 7: rows 712–719 stay flat
    const rows = (d: typeof det): Float32Array => {
      const s = scoreSeriesWindows(d, trainingWindows(test, 1, d.window)).score;
      const cal = scoreSeriesWindows(d, trainingWindows(trainRows, 1, d.window)).score;
      const top = [...cal].sort((a, b) => b - a)[Math.floor(cal.length * 0.005)]!;
      return Float32Array.from(s.subarray(712 - d.window + 1, 720 - d.window + 1), (v) => v / top);
    };
    expect(Math.max(...rows(det))).toBeGreaterThan(1.5);
    expect(Math.max(...rows(plain))).toBeLessThan(1);
  });

  it('gives the members weights that sum to 1: the seasonal share, the rest over the scales', () => {
    const det = fitSeriesDetector(stepped(480, 96, 3), ['value']);
    const total = det.scales.reduce((a, s) => a + s.weight, 0) + (det.seasonal?.weight ?? 0);
    expect(total).toBeCloseTo(1, 6);
    const given = fitSeriesDetector(stepped(480, 96, 3), ['value'], 16);
    expect(given.seasonal).toBeNull();
    expect(given.scales.map((s) => s.weight)).toEqual([1]);
  });

  it('weighs by inverse mean square error under context-fit, equally under equal, and equally when a fit is 0', () => {
    expect(meanSd([1, 3, NaN])).toEqual({ mean: 2, sd: 1 });
    expect(meanSd([])).toEqual({ mean: 0, sd: 0 });
    const errors = [Float32Array.from([1, 1]), Float32Array.from([2, 2])];
    expect(contextFitWeights(errors, 'equal')).toEqual([0.5, 0.5]);
    const w = contextFitWeights(errors, 'context-fit');
    expect(w[0]).toBeCloseTo(0.8, 9); // 1/1 : 1/4
    expect(w[1]).toBeCloseTo(0.2, 9);
    expect(contextFitWeights([Float32Array.from([0, 0]), Float32Array.from([2, 2])], 'context-fit')).toEqual([0.5, 0.5]);
  });
});
