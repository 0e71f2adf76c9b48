import { Rng } from '../../core/rng';
import { applyScaler, fitScaler } from '../../core/scaler';
import {
  cgSteps, conditionalMean, fitGaussian, rescaleGaussian, STEPS_TOLERANCE,
} from '../../training/models/auto-impute/gaussian-fill';

/**
 * The auto imputer's Gaussian member, as the fit uses it for speed: fitted once and moved to the other scaling
 * (rescaleGaussian), CG only over a row's missing columns, and the fewest CG steps that reproduce the full count.
 */
const F = 12;

/** Rows of 3 latent factors, columns on very different scales, 20 % of cells missing. */
function rows(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const load = Array.from({ length: F * 3 }, () => rng.normal());
  const out = new Float32Array(n * F);
  for (let i = 0; i < n; i++) {
    const z = [rng.normal(), rng.normal(), rng.normal()];
    for (let j = 0; j < F; j++) {
      const v = load[j * 3]! * z[0]! + load[j * 3 + 1]! * z[1]! + load[j * 3 + 2]! * z[2]! + 0.2 * rng.normal();
      out[i * F + j] = rng.next() < 0.2 ? NaN : v * (1 + 3 * j) + 5 * j;
    }
  }
  return out;
}

function scaledRows(values: Float32Array, kind: 'standard' | 'robust') {
  const scaler = fitScaler(values, F, kind);
  const x = applyScaler(scaler, values);
  const mask = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i])) mask[i] = 1;
    else x[i] = 0;
  }
  return { scaler, x, mask };
}

const raw = (v: ArrayLike<number>, scaler: { offset: number[]; scale: number[] }) =>
  Float64Array.from(v, (s, i) => s * scaler.scale[i % F]! + scaler.offset[i % F]!);

describe('auto imputer Gaussian member', () => {
  const values = rows(1500, 3);
  const robust = scaledRows(values, 'robust');
  const standard = scaledRows(values, 'standard');
  const fitRobust = fitGaussian(robust.x, robust.mask, F);

  test('a fit moved to another scaling fills as a fit in that scaling does (raw units, within 1e-4 of the sd)', () => {
    const moved = rescaleGaussian(fitRobust, robust.scaler, standard.scaler);
    const own = fitGaussian(standard.x, standard.mask, F);
    const a = raw(conditionalMean(moved, standard.x, standard.mask, cgSteps(F)), standard.scaler);
    const b = raw(conditionalMean(own, standard.x, standard.mask, cgSteps(F)), standard.scaler);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / standard.scaler.scale[i % F]!);
    expect(worst).toBeLessThan(1e-4);
    // and it is not the unmoved fit (which would fill the standard-scaled rows wrongly)
    const unmoved = raw(conditionalMean(fitRobust, standard.x, standard.mask, cgSteps(F)), standard.scaler);
    expect(Math.max(...unmoved.map((v, i) => Math.abs(v - b[i]!) / standard.scaler.scale[i % F]!))).toBeGreaterThan(1e-2);
  });

  test('the chosen CG step count reproduces the full count to STEPS_TOLERANCE, and is no more than it', () => {
    expect(fitRobust.steps).toBeLessThanOrEqual(cgSteps(F));
    const short = conditionalMean(fitRobust, robust.x, robust.mask);
    const full = conditionalMean(fitRobust, robust.x, robust.mask, cgSteps(F));
    let worst = 0;
    for (let i = 0; i < short.length; i++) worst = Math.max(worst, Math.abs(short[i]! - full[i]!));
    // checked on the first 2,000 fitted rows: these 1,500 are all of them
    expect(worst).toBeLessThanOrEqual(STEPS_TOLERANCE);
  });

  test('observed cells keep their value; a row with every cell missing gets the Gaussian mean', () => {
    const x = new Float32Array(2 * F);
    const mask = new Float32Array(2 * F);
    for (let j = 0; j < F; j++) {
      x[j] = robust.x[j]!;
      mask[j] = robust.mask[j]!;
    }
    const out = conditionalMean(fitRobust, x, mask);
    for (let j = 0; j < F; j++) {
      if (mask[j]) expect(out[j]).toBe(x[j]);
      expect(out[F + j]).toBeCloseTo(fitRobust.mean[j]!, 12);
    }
  });
});
