/**
 * One-pass downsampling of a stream of rows of unknown length into a bounded number of consecutive bins.
 * Each bin covers `width` rows (a power of two). When `2 × target` bins exist, neighbours are merged in
 * pairs and the width doubles, so at the end there are between `target` and `2 × target` bins (fewer for
 * short inputs, where every row is its own bin) and memory never depends on the number of rows.
 */
export class AdaptiveBins<B> {
  private bins: B[] = [];
  private width = 1;
  private filled = 0;

  constructor(
    private readonly target: number,
    private readonly empty: () => B,
    private readonly merge: (into: B, other: B) => void,
  ) {}

  /** The bin for row `row` (rows must come in order 0, 1, 2, ...). */
  at(row: number): B {
    let index = Math.floor(row / this.width);
    while (index >= 2 * this.target) {
      this.halve();
      index = Math.floor(row / this.width);
    }
    while (this.bins.length <= index) this.bins.push(this.empty());
    this.filled = Math.max(this.filled, row + 1);
    return this.bins[index]!;
  }

  private halve(): void {
    const next: B[] = [];
    for (let i = 0; i < this.bins.length; i += 2) {
      const a = this.bins[i]!;
      if (i + 1 < this.bins.length) this.merge(a, this.bins[i + 1]!);
      next.push(a);
    }
    this.bins = next;
    this.width *= 2;
  }

  /** Rows per bin. */
  get binWidth(): number {
    return this.width;
  }

  get rows(): number {
    return this.filled;
  }

  /** Each bin with the first row it covers and its row count. */
  entries(): { start: number; rows: number; bin: B }[] {
    return this.bins.map((bin, i) => ({ start: i * this.width, rows: Math.min(this.width, this.filled - i * this.width), bin }));
  }
}

/**
 * Uniform random sample of at most `size` items from a stream (reservoir sampling, algorithm R), seeded
 * so that a report is reproducible.
 */
export class Reservoir<T> {
  readonly items: T[] = [];
  seen = 0;
  private state: number;

  constructor(
    private readonly size: number,
    seed = 1,
  ) {
    this.state = seed >>> 0 || 1;
  }

  add(item: T): void {
    this.seen++;
    if (this.items.length < this.size) {
      this.items.push(item);
      return;
    }
    const j = Math.floor(this.random() * this.seen);
    if (j < this.size) this.items[j] = item;
  }

  /** xorshift32 in [0, 1) */
  private random(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 4294967296;
  }
}
