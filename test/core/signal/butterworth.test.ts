import { butterworth, filtfilt, magnitudeResponse, sosFilter } from '../../../core/signal/butterworth';

describe('butterworth', () => {
  it.each([1, 2, 3, 4, 5])('has gain 1/√2 at the cutoff for lowpass order %i', (order) => {
    expect(magnitudeResponse(butterworth(order, 0.1, 'lowpass'), 0.1)).toBeCloseTo(Math.SQRT1_2, 9);
  });

  it.each([1, 2, 3, 4])('has gain 1/√2 at the cutoff for highpass order %i', (order) => {
    expect(magnitudeResponse(butterworth(order, 0.02, 'highpass'), 0.02)).toBeCloseTo(Math.SQRT1_2, 9);
  });

  it('passes DC and stops Nyquist in a lowpass', () => {
    const s = butterworth(4, 0.1, 'lowpass');
    expect(magnitudeResponse(s, 0)).toBeCloseTo(1, 12);
    expect(magnitudeResponse(s, 0.5)).toBeLessThan(1e-10);
  });

  it('stops DC and passes Nyquist in a highpass', () => {
    const s = butterworth(3, 0.05, 'highpass');
    expect(magnitudeResponse(s, 0)).toBeLessThan(1e-12);
    expect(magnitudeResponse(s, 0.5)).toBeCloseTo(1, 12);
  });

  it('follows the warped Butterworth magnitude 1/√(1 + (Ω/Ωc)^2N) at every frequency', () => {
    const order = 4;
    const s = butterworth(order, 0.05, 'lowpass');
    const warp = (f: number) => Math.tan(Math.PI * f);
    for (const f of [0.01, 0.03, 0.05, 0.1, 0.2, 0.4]) {
      expect(magnitudeResponse(s, f)).toBeCloseTo(1 / Math.sqrt(1 + (warp(f) / warp(0.05)) ** (2 * order)), 9);
    }
  });

  it('matches the scipy coefficients of butter(2, 0.2) (Wn relative to Nyquist)', () => {
    // scipy.signal.butter(2, 0.2): b = [0.06745527, 0.13491055, 0.06745527], a = [1, -1.1429805, 0.4128016]
    const [s] = butterworth(2, 0.1, 'lowpass');
    expect(s!.b[0]).toBeCloseTo(0.06745527, 7);
    expect(s!.b[1]).toBeCloseTo(0.13491055, 7);
    expect(s!.a[0]).toBeCloseTo(-1.1429805, 7);
    expect(s!.a[1]).toBeCloseTo(0.4128016, 7);
  });

  it('rejects a cutoff at or above Nyquist, naming it', () => {
    expect(() => butterworth(2, 0.5, 'lowpass')).toThrow(/cutoff must be in \(0, 0.5\).*0.5/);
  });
});

describe('filtfilt', () => {
  it('leaves a constant signal unchanged through a lowpass', () => {
    const y = filtfilt(butterworth(4, 0.05, 'lowpass'), new Float64Array(100).fill(3));
    for (const v of y) expect(v).toBeCloseTo(3, 9);
  });

  it('has zero phase: a slow sine passes with no lag', () => {
    const x = Float64Array.from({ length: 400 }, (_, i) => Math.sin((2 * Math.PI * i) / 100));
    const y = filtfilt(butterworth(4, 0.1, 'lowpass'), x);
    for (let i = 50; i < 350; i++) expect(y[i]).toBeCloseTo(x[i]!, 3);
  });

  it('removes a slow sinusoid with a highpass while keeping a fast one', () => {
    const fast = Float64Array.from({ length: 600 }, (_, i) => Math.sin((2 * Math.PI * i) / 10));
    const x = fast.map((v, i) => v + 2 * Math.sin((2 * Math.PI * i) / 300));
    const y = filtfilt(butterworth(2, 0.03, 'highpass'), x);
    let err = 0;
    for (let i = 100; i < 500; i++) err = Math.max(err, Math.abs(y[i]! - fast[i]!));
    expect(err).toBeLessThan(0.05);
  });

  it('filters forward causally with sosFilter (an impulse gives the impulse response starting at b0)', () => {
    const s = butterworth(2, 0.1, 'lowpass');
    const y = sosFilter(s, [1, 0, 0]);
    expect(y[0]).toBeCloseTo(s[0]!.b[0], 12);
  });
});
