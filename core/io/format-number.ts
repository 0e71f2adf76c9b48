/**
 * Compact number text for outputs. `formatNumber` is the shortest text that reads back as the same double
 * (JavaScript's own Number-to-String); `formatFloat32` the shortest that reads back as the same float32,
 * for values that come out of a float32 model (0.1f is '0.1', not '0.10000000149011612').
 * NaN is missing: the empty string.
 */
export function formatNumber(value: number): string {
  return value !== value ? '' : String(value);
}

const POW10 = Float64Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

export function formatFloat32(value: number): string {
  if (value !== value) return '';
  const f = Math.fround(value);
  if (!Number.isFinite(f) || (Number.isInteger(f) && Math.abs(f) <= 16777216)) return String(f);
  const a = Math.abs(f);
  if (a >= 1e-6 && a < 1e15) {
    // Round to ever more decimals k until the result reads back as f. The candidate m / 10^k is the
    // double nearest a short decimal, so String() prints exactly that decimal: decimalText writes it from m and k.
    const pow10 = POW10;
    const e = Math.floor(Math.log10(a));
    // The first p that reads back is the answer. Up to p = 5 a p that reads back makes every larger one read back too
    // (f·10^k lies within 10^p·2^-24 < 0.5 of that decimal's integer, so the same decimal comes out): when p = 5 does
    // not, no smaller p does, and the search starts at 6 (most model outputs need 7 or more digits).
    const first = roundsBack(f, 5 - 1 - e) ? 1 : 6;
    for (let p = first; p <= 10; p++) {
      const k = p - 1 - e;
      if (k >= 0) {
        const m = Math.round(f * pow10[k]);
        const c = m / pow10[k];
        if (Math.fround(c) === f) return decimalText(m, k, c);
      } else {
        const c = Math.round(f / pow10[-k]) * pow10[-k];
        if (Math.fround(c) === f) return String(c);
      }
    }
  }
  // Far from 1: search the precision with toPrecision (slower, exact).
  for (let p = 1; p < 9; p++) {
    const text = f.toPrecision(p);
    if (Math.fround(Number(text)) === f) return String(Number(text));
  }
  return String(Number(f.toPrecision(9)));
}

/** The search's test for one k: does round(f·10^k) / 10^k read back as f? */
function roundsBack(f: number, k: number): boolean {
  const c = k >= 0 ? Math.round(f * POW10[k]) / POW10[k] : Math.round(f / POW10[-k]) * POW10[-k];
  return Math.fround(c) === f;
}

/**
 * String(c) for c = m / 10^k (m a nonzero integer of at most 11 digits, 0 <= k <= 22, 1e-6 <= |c| < 1e21), written from
 * the digits of m: faster than the shortest-double search String() runs. Exact: m and 10^k are exact doubles, so c is
 * the double nearest the decimal m·10^-k; two decimals of at most 15 significant digits never share a double, so the
 * shortest decimal String() finds for c is m·10^-k itself, which it writes without an exponent in this range.
 */
function decimalText(m: number, k: number, c: number): string {
  let u = m < 0 ? -m : m;
  if (u === 0 || u >= 1e11) return String(c);
  while (k > 0 && u % 10 === 0) {
    u /= 10;
    k--;
  }
  const digits = String(u);
  const sign = m < 0 ? '-' : '';
  if (k === 0) return sign + digits;
  const n = digits.length;
  if (n > k) return sign + digits.slice(0, n - k) + '.' + digits.slice(n - k);
  return sign + '0.' + ZEROS[k - n] + digits;
}

const ZEROS = Array.from({ length: 23 }, (_, i) => '0'.repeat(i));
