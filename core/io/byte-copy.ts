/** Runs at least this long are copied by Buffer.copy; shorter ones 4 bytes a step (Buffer.copy's own cost, ~200 ns a call, is more). */
export const LONG_COPY = 192;

/**
 * Copies runs of bytes from source Buffers into one target Buffer (the CSV writer's output for a batch): a run shorter
 * than LONG_COPY goes 4 bytes a step through DataViews (one made per source Buffer, which a batch's rows share), a longer
 * one through Buffer.copy. Measured on 16–128-byte runs: 10–60 ns a run against 170–240 ns for Buffer.copy and 45–500
 * ns for a byte loop.
 */
export class ByteCopier {
  private readonly view: DataView;
  private source: Buffer | null = null;
  private sourceView: DataView | null = null;

  constructor(readonly out: Buffer) {
    this.view = new DataView(out.buffer, out.byteOffset, out.length);
  }

  /** Copies bytes[from, to) to out at `at`; returns the offset after it. */
  copy(bytes: Buffer, from: number, to: number, at: number): number {
    const n = to - from;
    if (n <= 0) return at;
    if (n >= LONG_COPY) return at + bytes.copy(this.out, at, from, to);
    if (bytes !== this.source) {
      this.source = bytes;
      this.sourceView = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    }
    const src = this.sourceView!;
    const dst = this.view;
    let i = 0;
    for (; i + 4 <= n; i += 4) dst.setUint32(at + i, src.getUint32(from + i, true), true);
    for (; i < n; i++) dst.setUint8(at + i, src.getUint8(from + i));
    return at + n;
  }
}
