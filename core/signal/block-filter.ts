import type { LeadFilter } from './classic-denoise';

/**
 * Runs a whole-signal lead filter over a stream in bounded memory: blocks of `blockRows` rows are filtered
 * with up to `marginRows` rows of context on each side and only the block is emitted, so the output equals
 * whole-signal filtering wherever the filter's memory is shorter than the margin (zero-phase Butterworth:
 * its impulse response has decayed; wavelet: the coarsest level's support). Memory: (block + 2·margin) rows.
 */
export class BlockFilter {
  private buf: Float64Array[];
  private held = 0;
  /** buffer rows before this one were emitted */
  private emitted = 0;

  constructor(private readonly leads: number, private readonly blockRows: number, private readonly marginRows: number,
    private readonly filter: LeadFilter) {
    this.buf = Array.from({ length: leads }, () => new Float64Array(blockRows + 2 * marginRows));
  }

  /** Appends rows (rows × leads, NaN = missing) and returns the rows now final (rows × leads). */
  push(values: ArrayLike<number>, rows: number): Float64Array {
    const parts: Float64Array[] = [];
    for (let r = 0; r < rows; ) {
      const room = this.buf[0]!.length - this.held;
      const k = Math.min(room, rows - r);
      for (let j = 0; j < this.leads; j++) for (let i = 0; i < k; i++) this.buf[j]![this.held + i] = values[(r + i) * this.leads + j]!;
      this.held += k;
      r += k;
      if (this.held - this.emitted >= this.blockRows + this.marginRows) parts.push(this.run(this.emitted + this.blockRows));
    }
    return concat(parts);
  }

  /** The remaining rows. */
  flush(): Float64Array {
    return this.held > this.emitted ? this.run(this.held) : new Float64Array(0);
  }

  /** Filters buffer rows [0, held) and emits [emitted, upTo); keeps the last margin rows before upTo as context. */
  private run(upTo: number): Float64Array {
    const out = new Float64Array((upTo - this.emitted) * this.leads);
    for (let j = 0; j < this.leads; j++) {
      const y = this.filter(this.buf[j]!.slice(0, this.held));
      for (let i = this.emitted; i < upTo; i++) out[(i - this.emitted) * this.leads + j] = y[i]!;
    }
    const keepFrom = Math.max(0, upTo - this.marginRows);
    for (const b of this.buf) b.copyWithin(0, keepFrom, this.held);
    this.held -= keepFrom;
    this.emitted = upTo - keepFrom;
    return out;
  }
}

function concat(parts: Float64Array[]): Float64Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
