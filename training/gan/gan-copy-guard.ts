import { closestDistances } from '../../core/fidelity/closest-distance';
import { columnOf, stdOf } from '../../core/fidelity/marginals';

/** Near-copy share above what real held-out rows show that the guard lets pass free; above it every point counts. */
export const COPY_TOLERANCE = 0.02;
/**
 * Score points per unit of near-copy share beyond the allowance. The criterion (mean W₁/sd) moves by tenths over
 * a training; at weight 1 a generator copying a third of its rows (42_WBC: 14 points beyond the allowance) still
 * beat earlier checkpoints that copied nothing. At 10, any real copying outweighs a better fit.
 */
export const COPY_WEIGHT = 10;
/** Training rows the guard compares against (a seeded sample beyond it: copies of the others go unseen). */
export const COPY_REFERENCE_ROWS = 10_000;
/** Synthetic rows checked per fidelity check. */
export const COPY_CHECK_ROWS = 1000;

/**
 * The gan's near-copy guard, used while training: the checkpoint that training keeps is the one with the lowest
 * held-out fidelity criterion plus the guard's penalty (`check`: the near-copy share beyond what real held-out rows
 * show, less COPY_TOLERANCE), so a generator that has started
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

  /**
   * What a fresh sample of the real distribution may show under the k-th smallest of m held-out distances: that
   * share is Beta(k, m − k + 1) distributed, mean p = k / (m + 1); taken here as p + 2 sd. The held-out rows' own
   * share counts only those strictly below it, (k − 1) / m: on a small holdout (34 rows, the threshold is their
   * minimum) a faithful generator shows 3 % on average and often more, which is the threshold's noise, not copying.
   */
  private readonly freshShare: number;

  constructor(private readonly train: Float64Array, holdout: Float64Array, private readonly width: number) {
    this.scale = Array.from({ length: width }, (_, j) => stdOf(columnOf(train, width, j)));
    const dh = closestDistances(holdout, train, width, this.scale).sort();
    const k = Math.floor(0.01 * (dh.length - 1));
    this.q01 = dh[k] ?? 0;
    this.holdoutShare = this.share(dh);
    const p = (k + 1) / (dh.length + 1);
    this.freshShare = p + 2 * Math.sqrt((p * (1 - p)) / (dh.length + 2));
  }

  /**
   * Near-copy share of `synthetic` [n × width] (its first COPY_CHECK_ROWS rows), its excess over the holdout's own
   * share (fidelity's figure) and the checkpoint penalty: COPY_WEIGHT × the share beyond max(holdout's, a fresh
   * sample's expected share) + COPY_TOLERANCE.
   */
  check(synthetic: Float64Array): { share: number; excess: number; penalty: number } {
    const rows = synthetic.subarray(0, Math.min(synthetic.length, COPY_CHECK_ROWS * this.width));
    const share = this.share(closestDistances(rows, this.train, this.width, this.scale));
    const allowance = Math.max(this.holdoutShare, this.freshShare) + COPY_TOLERANCE;
    return { share, excess: share - this.holdoutShare, penalty: COPY_WEIGHT * Math.max(0, share - allowance) };
  }

  private share(d: Float64Array): number {
    let near = 0;
    for (const x of d) if (x < this.q01 || x === 0) near++;
    return near / (d.length || 1);
  }
}

