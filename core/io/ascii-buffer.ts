import { FLOAT32_MAX_BYTES, writeFloat32 } from './write-float32';

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

  /** formatFloat32(value)'s text (NaN: nothing), written by write-float32.ts straight into the buffer. */
  float32(value: number): void {
    if (this.at + FLOAT32_MAX_BYTES > this.buf.length) this.reserve(FLOAT32_MAX_BYTES);
    this.at = writeFloat32(this.buf, this.at, value);
  }

  /** The bytes written so far (a view: copy it before writing more if it must stay). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.at);
  }
}
