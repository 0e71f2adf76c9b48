import { closestDistances } from '../../core/fidelity/closest-distance';
import { columnOf, stdOf } from '../../core/fidelity/marginals';

/** Near-copy excess (synthetic share − the holdout's own) the guard lets pass free; above it every point counts. */
export const COPY_TOLERANCE = 0.02;
/** Training rows the guard compares against (a seeded sample beyond it: copies of the others go unseen). */
export const COPY_REFERENCE_ROWS = 10_000;
/** Synthetic rows checked per fidelity check. */
export const COPY_CHECK_ROWS = 1000;

/**
 * The gan's near-copy guard, used while training: the checkpoint that training keeps is the one with the lowest
 * held-out fidelity criterion plus max(0, near-copy excess − COPY_TOLERANCE), so a generator that has started
 * to reproduce training rows loses to an earlier one that had not (a checkpoint with a far better fit still
 * wins only if it copies little). Near copies use fidelity's rule (core/fidelity/privacy.ts): a synthetic row
 * closer to a training row (columns in training standard deviations) than the held-out rows' 1st-percentile
 * distance, or equal to one; the excess is the synthetic share minus the held-out rows' own share by the same rule
 * (data with many duplicate rows, small integers, has a share of its own that is not copying). Nothing of this is
 * kept in the model: sampling does not see training rows, so the guard works on the choice of generator only.
 */
export class CopyGuard {
  private readonly scale: number[];
  private readonly q01: number;
  /** The held-out rows' own near-copy share. */
  readonly holdoutShare: number;

  constructor(private readonly train: Float64Array, holdout: Float64Array, private readonly width: number) {
    this.scale = Array.from({ length: width }, (_, j) => stdOf(columnOf(train, width, j)));
    const dh = closestDistances(holdout, train, width, this.scale).sort();
    this.q01 = dh[Math.floor(0.01 * (dh.length - 1))] ?? 0;
    this.holdoutShare = this.share(dh);
  }

  /** Near-copy share of `synthetic` [n × width] (its first COPY_CHECK_ROWS rows) and its excess over the holdout's. */
  check(synthetic: Float64Array): { share: number; excess: number } {
    const rows = synthetic.subarray(0, Math.min(synthetic.length, COPY_CHECK_ROWS * this.width));
    const share = this.share(closestDistances(rows, this.train, this.width, this.scale));
    return { share, excess: share - this.holdoutShare };
  }

  private share(d: Float64Array): number {
    let near = 0;
    for (const x of d) if (x < this.q01 || x === 0) near++;
    return near / (d.length || 1);
  }
}

/** The score a checkpoint is chosen by (lower is better): the fidelity criterion plus the copying beyond the tolerance. */
export function guardedScore(fidelity: number, excess: number): number {
  return fidelity + Math.max(0, excess - COPY_TOLERANCE);
}
