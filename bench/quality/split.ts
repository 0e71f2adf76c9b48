import { Rng } from '../../core/rng';

/**
 * A stratified split: within each label, a seeded shuffle, the first round(trainFraction·n) rows go to
 * train, the rest to test. Returns the row indices of each part, sorted.
 */
export function stratifiedSplit(labels: ArrayLike<number>, trainFraction: number, seed: number): { train: number[]; test: number[] } {
  if (!(trainFraction > 0 && trainFraction < 1)) throw new RangeError(`trainFraction must be in (0, 1), got ${trainFraction}`);
  const rng = new Rng(seed);
  const byLabel = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (!byLabel.has(l)) byLabel.set(l, []);
    byLabel.get(l)!.push(i);
  }
  const train: number[] = [];
  const test: number[] = [];
  for (const key of [...byLabel.keys()].sort((a, b) => a - b)) {
    const rows = byLabel.get(key)!;
    const order = rng.permutation(rows.length);
    const cut = Math.round(trainFraction * rows.length);
    order.forEach((o, k) => (k < cut ? train : test).push(rows[o]!));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/** The given rows of a row-major table [rows × width]. */
export function takeRows(values: Float64Array, width: number, rows: readonly number[]): Float64Array {
  const out = new Float64Array(rows.length * width);
  rows.forEach((r, k) => out.set(values.subarray(r * width, (r + 1) * width), k * width));
  return out;
}
