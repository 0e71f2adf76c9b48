import { isUtf8 } from 'node:buffer';

/** True when bytes [start, end) are valid UTF-8 (simdutf through node:buffer; the hot path). */
export function isValidUtf8(buf: Buffer, start: number, end: number): boolean {
  return start >= end || isUtf8(buf.subarray(start, end));
}

/** Offset of the first byte in [start, end) that begins an invalid UTF-8 sequence, or -1. For error reports. */
export function firstInvalidUtf8(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const c = buf[i];
    if (c < 0x80) { i++; continue; }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) { n = 2; if (c === 0xe0) lo = 0xa0; if (c === 0xed) hi = 0x9f; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 3; if (c === 0xf0) lo = 0x90; if (c === 0xf4) hi = 0x8f; }
    else return i;
    if (i + n >= end) return i;
    const c1 = buf[i + 1];
    if (c1 < lo || c1 > hi) return i;
    for (let k = 2; k <= n; k++) if (buf[i + k] < 0x80 || buf[i + k] > 0xbf) return i;
    i += n + 1;
  }
  return -1;
}
