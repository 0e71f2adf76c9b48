/**
 * A growing byte buffer written with ASCII text and single bytes: the numeric sample writers
 * (numeric-table-text.ts) build their whole output here instead of joining strings and encoding them to UTF-8
 * at the end. Only ASCII may go through `ascii()` (one byte per UTF-16 unit); other text goes through `text()`.
 */
export class AsciiBuffer {
  private buf: Uint8Array;
  private at = 0;

  constructor(capacity = 1 << 16) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }

  get length(): number {
    return this.at;
  }

  /** Room for `n` more bytes (the buffer doubles until they fit). */
  reserve(n: number): void {
    if (this.at + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.at + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.at));
    this.buf = next;
  }

  byte(b: number): void {
    if (this.at >= this.buf.length) this.reserve(1);
    this.buf[this.at++] = b;
  }

  /** ASCII text, one byte per character (the caller guarantees every code unit is < 128). */
  ascii(s: string): void {
    const n = s.length;
    if (this.at + n > this.buf.length) this.reserve(n);
    const buf = this.buf;
    let at = this.at;
    for (let i = 0; i < n; i++) buf[at++] = s.charCodeAt(i);
    this.at = at;
  }

  /** Any text, UTF-8 encoded. */
  text(s: string): void {
    this.bytes(new TextEncoder().encode(s));
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
  }

  /**
   * The decimal digits of a non-negative integer u < 2^53, no sign, written from the last digit back without
   * making a string: two 8-digit halves in int32 arithmetic (V8 turns `(x / 10) | 0` into a multiply).
   */
  digits(u: number): void {
    if (u < 1e8) {
      this.digitsInt(u | 0, 0);
      return;
    }
    const hi = Math.floor(u / 1e8);
    this.digitsInt(hi < 1e8 ? hi | 0 : hi, 0);
    this.digitsInt((u - hi * 1e8) | 0, 8);
  }

  /** x's digits, left-padded with zeros to `width` (0: no padding); x < 1e8 is int32, larger x (≥ 1e16) stays exact here. */
  private digitsInt(x: number, width: number): void {
    if (x >= 1e8) {
      this.ascii(String(x));
      return;
    }
    let n = 1;
    while (n < 8 && x >= POW10_INT[n]!) n++;
    if (n < width) n = width;
    if (this.at + n > this.buf.length) this.reserve(n);
    const buf = this.buf;
    let i = this.at + n;
    const end = this.at;
    while (i > end) {
      const q = (x / 10) | 0;
      buf[--i] = 48 + x - q * 10;
      x = q;
    }
    this.at += n;
  }

  /** The bytes written so far (a view: copy it before writing more if it must stay). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.at);
  }
}

const POW10_INT = Int32Array.from({ length: 9 }, (_, i) => 10 ** i);
