import { fitGpd } from '../../core/gpd';
import { Rng } from '../../core/rng';
import { calibrateThreshold, parseThresholdSpec, quantileSorted } from '../../core/threshold';

function exponential(n: number, seed: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => -Math.log(1 - rng.next()));
}

describe('parseThresholdSpec', () => {
  it('parses the three methods', () => {
    expect(parseThresholdSpec('percentile:99.5')).toEqual({ method: 'percentile', param: 99.5 });
    expect(parseThresholdSpec('sigma:3')).toEqual({ method: 'sigma', param: 3 });
    expect(parseThresholdSpec('pot:1e-3')).toEqual({ method: 'pot', param: 0.001 });
  });

  it('rejects an unknown method, naming the spec', () => {
    expect(() => parseThresholdSpec('max:3')).toThrow(/'max:3'/);
  });

  it('rejects a percentile outside (0, 100)', () => {
    expect(() => parseThresholdSpec('percentile:100')).toThrow(/percentile must be in \(0, 100\), got 100/);
  });
});

describe('calibrateThreshold', () => {
  const scores = Array.from({ length: 101 }, (_, i) => i);

  it('percentile uses linear interpolation', () => {
    expect(calibrateThreshold(scores, 'percentile:99.5').value).toBeCloseTo(99.5);
  });

  it('sigma is mean + k·std', () => {
    const t = calibrateThreshold([1, 2, 3, 4, 5], 'sigma:2');
    expect(t.value).toBeCloseTo(3 + 2 * Math.sqrt(2));
  });

  it('records calibration statistics the manifest schema needs', () => {
    const t = calibrateThreshold(scores, 'percentile:99');
    expect(t.calibration).toMatchObject({ n: 101, mean: 50, min: 0, max: 100 });
    expect(t.calibration.quantiles['0.5']).toBe(50);
  });

  it('pot estimates the 1e-3 upper quantile of exponential scores (true value ln 1000)', () => {
    const t = calibrateThreshold(exponential(20000, 3), 'pot:1e-3');
    expect(t.method).toBe('pot');
    expect(t.value).toBeGreaterThan(Math.log(1000) * 0.9);
    expect(t.value).toBeLessThan(Math.log(1000) * 1.1);
  });

  it('pot extrapolates beyond the sample for a risk below 1/n', () => {
    const s = exponential(2000, 4);
    const t = calibrateThreshold(s, 'pot:1e-5');
    expect(t.value).toBeGreaterThan(Math.max(...s));
  });

  it('drops non-finite scores', () => {
    expect(calibrateThreshold([1, 2, NaN, 3, Infinity], 'sigma:1').calibration.n).toBe(3);
  });

  it('refuses fewer than two finite scores', () => {
    expect(() => calibrateThreshold([NaN, 1], 'sigma:3')).toThrow(/at least 2 finite scores, got 1/);
  });
});

describe('fitGpd', () => {
  it('recovers gamma ≈ 0 and sigma ≈ 1 for exponential excesses', () => {
    const fit = fitGpd(exponential(5000, 5));
    expect(Math.abs(fit.gamma)).toBeLessThan(0.06);
    expect(fit.sigma).toBeGreaterThan(0.93);
    expect(fit.sigma).toBeLessThan(1.07);
  });

  it('recovers a heavy tail (gamma = 0.5, sigma = 2)', () => {
    const rng = new Rng(6);
    const y = Array.from({ length: 5000 }, () => (2 / 0.5) * (Math.pow(1 - rng.next(), -0.5) - 1));
    const fit = fitGpd(y);
    expect(fit.gamma).toBeGreaterThan(0.4);
    expect(fit.gamma).toBeLessThan(0.6);
    expect(fit.sigma).toBeGreaterThan(1.8);
    expect(fit.sigma).toBeLessThan(2.2);
  });
});

describe('quantileSorted', () => {
  it('interpolates between neighbours', () => {
    expect(quantileSorted([0, 10], 0.25)).toBe(2.5);
  });
});
