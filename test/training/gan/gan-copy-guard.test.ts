import { CopyGuard, COPY_TOLERANCE, guardedScore } from '../../../training/gan/gan-copy-guard';
import { Rng } from '../../../core/rng';

function draw(n: number, f: number, rng: Rng, lattice = false): Float64Array {
  return Float64Array.from({ length: n * f }, () => (lattice ? rng.int(3) : rng.normal()));
}

describe('gan near-copy guard', () => {
  const rng = new Rng(5);
  const f = 6;
  const train = draw(1500, f, rng);
  const holdout = draw(500, f, rng);

  test('fresh rows of the same distribution have no excess; rows copied from training have nearly all of it', () => {
    const guard = new CopyGuard(train, holdout, f);
    expect(guard.holdoutShare).toBeGreaterThan(0);
    expect(guard.holdoutShare).toBeLessThan(0.03);
    expect(Math.abs(guard.check(draw(1000, f, rng)).excess)).toBeLessThan(0.025);
    const copied = train.slice(0, 1000 * f);
    expect(guard.check(copied)).toEqual({ share: 1, excess: 1 - guard.holdoutShare });
    // half copies, half fresh: about half
    const half = Float64Array.from([...train.subarray(0, 500 * f), ...draw(500, f, rng)]);
    expect(guard.check(half).share).toBeGreaterThan(0.49);
    expect(guard.check(half).share).toBeLessThan(0.53);
  });

  test('duplicates the real data has itself count in the holdout share, not as excess', () => {
    const lat = new Rng(9);
    const guard = new CopyGuard(draw(800, 3, lat, true), draw(300, 3, lat, true), 3);
    expect(guard.holdoutShare).toBeGreaterThan(0.9);
    expect(Math.abs(guard.check(draw(1000, 3, lat, true)).excess)).toBeLessThan(0.05);
  });

  test('the score adds only the excess beyond the tolerance', () => {
    expect(guardedScore(0.1, COPY_TOLERANCE / 2)).toBe(0.1);
    expect(guardedScore(0.1, -0.3)).toBe(0.1);
    expect(guardedScore(0.1, 0.37)).toBeCloseTo(0.1 + 0.37 - COPY_TOLERANCE, 12);
    // a checkpoint that fits better but copies loses to one that does not
    expect(guardedScore(0.05, 0.3)).toBeGreaterThan(guardedScore(0.2, 0));
  });
});
