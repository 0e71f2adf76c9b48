import { correlationDistance } from '../../../core/fidelity/correlation';
import { meanNormalizedWasserstein } from '../../../core/fidelity/marginals';
import { Rng } from '../../../core/rng';
import { HeldOutFidelity } from '../../../training/gan/gan-fidelity';

describe('HeldOutFidelity (held-out columns sorted once)', () => {
  test('scores as meanNormalizedWasserstein (+ correlation distance) on every call', () => {
    const rng = new Rng(2);
    const f = 4;
    const holdout = Float64Array.from({ length: 300 * f }, (_, i) => rng.normal() * (1 + (i % f)) + (i % 7 === 0 ? NaN : 0));
    const mean = new HeldOutFidelity(holdout, f, 'wasserstein_mean');
    const corr = new HeldOutFidelity(holdout, f, 'wasserstein_correlation');
    for (let k = 0; k < 3; k++) {
      const synthetic = Float64Array.from({ length: 500 * f }, () => rng.normal() * 2 + k);
      const w = meanNormalizedWasserstein(holdout, synthetic, f);
      expect(mean.score(synthetic)).toBeCloseTo(w, 12);
      expect(corr.score(synthetic)).toBeCloseTo(w + correlationDistance(holdout, synthetic, f).mean_abs, 12);
    }
  });
});
