import { CopyGuard } from '../../../training/gan/gan-copy-guard';
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
    expect(guard.check(copied)).toMatchObject({ share: 1, excess: 1 - guard.holdoutShare });
    expect(guard.check(copied).penalty).toBeGreaterThan(9);
    expect(guard.check(draw(1000, f, rng)).penalty).toBe(0);
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

  test('on a small holdout (the threshold is its minimum) a faithful sample pays nothing; copies still pay', () => {
    const small = new Rng(12);
    const tr = draw(400, f, small);
    const ho = draw(30, f, small);
    const guard = new CopyGuard(tr, ho, f);
    expect(guard.holdoutShare).toBe(0);
    // a fresh sample lands ~1/31 below the minimum on average, more on some holdouts: noise, not a penalty
    let penalties = 0;
    for (let i = 0; i < 5; i++) penalties += guard.check(draw(1000, f, small)).penalty;
    expect(penalties / 5).toBeLessThan(0.005);
    const copies = Float64Array.from([...tr.subarray(0, 300 * f), ...draw(700, f, small)]);
    expect(guard.check(copies).penalty).toBeGreaterThan(1.5);
  });
});
