import type { AsciiBuffer } from './ascii-buffer';
import { formatFloat32 } from './format-number';

const POW10 = Float64Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/**
 * Writes formatFloat32(value) (format-number.ts: the shortest text that reads back as the same float32)
 * straight into `out` as bytes, the same characters: the same digit search, but the digits of the found
 * decimal m·10^-k are written from the integer m (and integers from their digits) instead of through a string.
 * The cases format-number.ts leaves to String()/toPrecision (|f| < 1e-6, integers ≥ 2^24, non-finite)
 * go through formatFloat32 itself. NaN writes nothing (missing), as formatFloat32 gives ''.
 */
export function writeFloat32Ascii(out: AsciiBuffer, value: number): void {
  if (value !== value) return;
  const f = Math.fround(value);
  const a = f < 0 ? -f : f;
  if (Number.isInteger(f) && a <= 16777216) {
    // String(-0) is '0'
    if (f < 0) out.byte(45);
    out.digits(a);
    return;
  }
  // below 2^24 a non-integer f never reads back from a candidate with k < 0 (an integer), so those are skipped;
  // larger values (all integers) keep formatFloat32's own search
  if (a >= 1e-6 && a < 16777216) {
    const e = Math.floor(Math.log10(a));
    // see formatFloat32: when p = 5 does not read back, no smaller p does
    const first = roundsBack(f, 5 - 1 - e) ? 1 : 6;
    for (let p = first; p <= 10; p++) {
      const k = p - 1 - e;
      if (k < 0) continue;
      const m = Math.round(f * POW10[k]!);
      if (Math.fround(m / POW10[k]!) === f) {
        if (writeDecimal(out, m, k)) return;
        break;
      }
    }
  }
  out.ascii(formatFloat32(f));
}

function roundsBack(f: number, k: number): boolean {
  const c = k >= 0 ? Math.round(f * POW10[k]!) / POW10[k]! : Math.round(f / POW10[-k]!) * POW10[-k]!;
  return Math.fround(c) === f;
}

/** m·10^-k in plain decimal (format-number.ts's decimalText, as bytes); false (nothing written) outside its range. */
function writeDecimal(out: AsciiBuffer, m: number, k: number): boolean {
  let u = m < 0 ? -m : m;
  if (u === 0 || u >= 1e11) return false;
  while (k > 0 && u % 10 === 0) {
    u /= 10;
    k--;
  }
  if (m < 0) out.byte(45);
  if (k === 0) {
    out.digits(u);
    return true;
  }
  const scale = POW10[k]!;
  const whole = Math.floor(u / scale);
  const frac = u - whole * scale;
  out.digits(whole);
  out.byte(46);
  // the fraction's k digits, leading zeros included
  let n = 1;
  for (let p = 10; p <= frac && n < k; p *= 10) n++;
  for (let z = n; z < k; z++) out.byte(48);
  out.digits(frac);
  return true;
}
