import { Rng } from '../../../core/rng';
import { c2st } from '../../../core/fidelity/c2st';
import { correlationDistance } from '../../../core/fidelity/correlation';
import { fidelityReport } from '../../../core/fidelity/fidelity-report';
import { ksStatistic, wasserstein1 } from '../../../core/fidelity/marginals';
import { privacyCheck } from '../../../core/fidelity/privacy';
import { labelAccuracy } from '../../../core/fidelity/softmax-regression';

/** n rows of (x, y = ρx + noise, label = x > 0), shifted by `shift`. */
function table(n: number, seed: number, shift = 0, rho = 0.8): Float64Array {
  const rng = new Rng(seed);
  const out = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    const x = rng.normal() + shift;
    out[i * 3] = x;
    out[i * 3 + 1] = rho * x + Math.sqrt(1 - rho * rho) * rng.normal();
    out[i * 3 + 2] = x > shift ? 1 : 0;
  }
  return out;
}

describe('fidelity metrics', () => {
  test('KS and W1 on known samples', () => {
    expect(ksStatistic([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(ksStatistic([1, 2], [3, 4])).toBe(1);
    expect(wasserstein1([0, 0, 0], [1, 1, 1])).toBeCloseTo(1, 12);
    expect(wasserstein1([0, 1], [0, 1, 2, 3])).toBeCloseTo(1, 12);
    expect(wasserstein1([0, NaN, 2], [0, 2])).toBeCloseTo(0, 12);
  });

  test('C2ST: two samples of one distribution ≈ 0.5; a shifted one ≈ 1; broken correlation is caught', () => {
    const same = c2st(table(800, 1), table(800, 2), 3, { seed: 1 });
    expect(same.auc).toBeGreaterThan(0.42);
    expect(same.auc).toBeLessThan(0.58);
    expect(same.fold_aucs).toHaveLength(5);
    expect(c2st(table(800, 1), table(800, 2, 2), 3, { seed: 1 }).auc).toBeGreaterThan(0.95);
    // same marginals, correlation flipped: only a classifier that sees pairs of columns tells them apart
    expect(c2st(table(800, 1, 0, 0.9), table(800, 2, 0, -0.9), 3, { seed: 1 }).auc).toBeGreaterThan(0.8);
  });

  test('correlation distance is 0 for one table and large for a flipped correlation', () => {
    const a = table(800, 3);
    expect(correlationDistance(a, a, 3).mean_abs).toBe(0);
    expect(correlationDistance(a, table(800, 4, 0, -0.8), 3).max_abs).toBeGreaterThan(1.4);
  });

  test('privacy: copies of training rows are near copies, fresh rows are not', () => {
    const train = table(600, 5);
    const holdout = table(300, 6);
    const fresh = privacyCheck(train, holdout, table(300, 7), 3);
    expect(fresh.near_copy_share).toBeLessThan(0.05);
    expect(fresh.dcr_ratio).toBeGreaterThan(0.7);
    const copied = privacyCheck(train, holdout, train.slice(0, 900), 3);
    expect(copied.near_copy_share).toBe(1);
    expect(copied.exact_copy_share).toBe(1);
    expect(copied.near_copy_excess).toBeGreaterThan(0.9);
  });

  test('privacy: duplicates the real data has itself (small integer columns) are the holdout share, not an excess', () => {
    const rng = new Rng(21);
    const ints = (n: number): Float64Array => Float64Array.from({ length: n * 2 }, () => 1 + rng.int(3));
    const r = privacyCheck(ints(600), ints(300), ints(300), 2);
    expect(r.holdout_near_copy_share).toBeGreaterThan(0.9);
    expect(r.near_copy_share).toBeGreaterThan(0.9);
    expect(Math.abs(r.near_copy_excess)).toBeLessThan(0.05);
  });

  test('TSTR: a classifier trained on a faithful sample predicts the real label; on a label-flipped one it does not', () => {
    const real = table(600, 8);
    expect(labelAccuracy(table(600, 9), real, 3, 2)).toBeGreaterThan(0.9);
    const flipped = table(600, 10);
    for (let i = 0; i < 600; i++) flipped[i * 3 + 2] = 1 - flipped[i * 3 + 2]!;
    expect(labelAccuracy(flipped, real, 3, 2)).toBeLessThan(0.1);
  });

  test('the report has every part and counts complete rows', () => {
    const real = table(400, 11);
    real[0] = NaN;
    const r = fidelityReport({ columns: ['x', 'y', 'label'], real, synthetic: table(400, 12), train: table(400, 13), label: 2 });
    expect(r.rows).toEqual({ real: 400, synthetic: 400, train: 400, complete_real: 399, complete_synthetic: 400 });
    expect(r.columns.map((c) => c.name)).toEqual(['x', 'y', 'label']);
    expect(r.c2st.auc).toBeLessThan(0.65);
    expect(r.utility!.tstr_accuracy).toBeGreaterThan(0.85);
    expect(r.utility!.trtr_accuracy).toBeGreaterThan(0.85);
    expect(r.privacy!.near_copy_share).toBeLessThan(0.05);
  });
});
