import type { Rng } from '../../core/rng';

/**
 * A uniform sample of at most `capacity` rows of a stream (Vitter's algorithm R): every row seen has the same
 * chance, capacity / seen, of being in it. Holds capacity × features float32 values, however long the stream.
 */
export class RowReservoir {
  private readonly values: Float32Array;
  private held = 0;
  seen = 0;

  constructor(readonly features: number, readonly capacity: number, private readonly rng: Rng) {
    this.values = new Float32Array(Math.max(0, capacity) * features);
  }

  /** Offers one row (values[at .. at + features)). */
  offer(values: Float32Array, at: number): void {
    const f = this.features;
    this.seen++;
    let slot: number;
    if (this.held < this.capacity) slot = this.held++;
    else {
      slot = this.rng.int(this.seen);
      if (slot >= this.capacity) return;
    }
    this.values.set(values.subarray(at, at + f), slot * f);
  }

  get rows(): number {
    return this.held;
  }

  /** The sample, rows in slot order (a copy of exactly rows × features values). */
  sample(): Float32Array {
    return this.values.slice(0, this.held * this.features);
  }
}
