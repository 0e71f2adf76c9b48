import { formatFloat32 } from './format-number';

const POW10 = Float64Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const MINUS = 45;
const DOT = 46;
const ZERO = 48;

/** The most bytes writeFloat32 writes for one value (e.g. '-1.17549435e-38' is 15). */
export const FLOAT32_MAX_BYTES = 24;

/**
 * Writes formatFloat32(value) (format-number.ts: the shortest text that reads back as the same float32) as ASCII
 * bytes into `out` at `at` and returns the offset after it. The same search as formatFloat32, but the digits of
 * the common case (1e-6 ≤ |v| < 1e15, at most 11 significant digits) go straight into the buffer instead of
 * through a string that is then encoded again; every other value is written from formatFloat32's text.
 * `out` needs room for FLOAT32_MAX_BYTES past `at`. NaN writes nothing (a missing cell is empty).
 */
export function writeFloat32(out: Uint8Array, at: number, value: number): number {
  if (value !== value) return at;
  const f = Math.fround(value);
  if (Number.isInteger(f) && f >= -16777216 && f <= 16777216) return writeInteger(out, at, f);
  const a = f < 0 ? -f : f;
  if (a >= 1e-6 && a < 1e15) {
    const pow10 = POW10;
    const e = decimalExponent(a);
    // formatFloat32's search, step for step (see there why p starts at 1 or 6)
    const k5 = 5 - 1 - e;
    const c5 = k5 >= 0 ? Math.round(f * pow10[k5]!) / pow10[k5]! : Math.round(f / pow10[-k5]!) * pow10[-k5]!;
    const first = Math.fround(c5) === f ? 1 : 6;
    for (let p = first; p <= 10; p++) {
      const k = p - 1 - e;
      if (k < 0) break; // |v| ≥ 10^p: rare, written from the text below
      const m = Math.round(f * pow10[k]!);
      if (Math.fround(m / pow10[k]!) === f) {
        const u = m < 0 ? -m : m;
        if (u === 0 || u >= 1e11) break;
        return writeDecimal(out, at, m < 0, u, k);
      }
    }
  }
  return at + writeAscii(out, at, formatFloat32(f));
}

/**
 * floor(log10(a)) for 1e-6 ≤ a < 1e15 by comparisons with powers of ten (Math.log10 costs more). Exact for a float32
 * a: 10^i (i ≥ 0) is exact in a double, and a·10^i (i > 0) is never within a double's rounding of 1, as no float32
 * in [1e-6, 1) is within a relative 2e-9 of a power of ten (the nearest: float32(1e-6), 2.5e-9 away).
 */
function decimalExponent(a: number): number {
  const pow10 = POW10;
  let e = 0;
  if (a >= 1) {
    while (pow10[e + 1]! <= a) e++;
    return e;
  }
  do e++; while (a * pow10[e]! < 1);
  return -e;
}

/** The digits of u · 10^-k (0 < u < 1e11, k ≥ 0) as String() writes that decimal: no exponent, no trailing zeros. */
function writeDecimal(out: Uint8Array, at: number, negative: boolean, u: number, k: number): number {
  if (u <= 0x7fffffff) {
    // int32 steps (the JIT's integer division by a constant is a multiply)
    let w = u | 0;
    while (k > 0 && w - ((w / 10) | 0) * 10 === 0) {
      w = (w / 10) | 0;
      k--;
    }
    u = w;
  } else {
    while (k > 0 && u - Math.floor(u / 10) * 10 === 0) {
      u /= 10;
      k--;
    }
  }
  let n = 1;
  while (n < 11 && POW10[n]! <= u) n++;
  if (negative) out[at++] = MINUS;
  if (n <= k) {
    // 0.00ddd
    out[at++] = ZERO;
    out[at++] = DOT;
    for (let z = 0; z < k - n; z++) out[at++] = ZERO;
    return writeDigits(out, at, u, n);
  }
  if (k === 0) return writeDigits(out, at, u, n);
  // ddd.ddd: the fraction's k digits after the point, then the n − k digits before it
  const point = at + n - k;
  const int = Math.floor(u / POW10[k]!);
  writeDigits(out, point + 1, u - int * POW10[k]!, k);
  out[point] = DOT;
  writeDigits(out, at, int, n - k);
  return point + 1 + k;
}

/** The n lowest decimal digits of v (leading zeros included) at [at, at + n); returns at + n. */
function writeDigits(out: Uint8Array, at: number, v: number, n: number): number {
  let i = at + n - 1;
  // above int32 (10-digit values): floating-point steps down to it; then integer division, which the JIT turns into
  // a multiply (a floating-point % costs ~10 times as much)
  for (; v > 0x7fffffff; i--) {
    const q = Math.floor(v / 10);
    out[i] = ZERO + (v - q * 10);
    v = q;
  }
  let w = v | 0;
  for (; i >= at; i--) {
    const q = (w / 10) | 0;
    out[i] = ZERO + (w - q * 10);
    w = q;
  }
  return at + n;
}

/** An integer of magnitude ≤ 2^24 as String() writes it ('0' for −0). */
function writeInteger(out: Uint8Array, at: number, v: number): number {
  if (v === 0) {
    out[at] = ZERO;
    return at + 1;
  }
  if (v < 0) {
    out[at++] = MINUS;
    v = -v;
  }
  let n = 1;
  while (POW10[n]! <= v) n++;
  return writeDigits(out, at, v, n);
}

function writeAscii(out: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  return text.length;
}
