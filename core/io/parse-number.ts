/**
 * Strict decimal number parsing, from strings and straight from UTF-8 bytes (the scoring hot path).
 * Grammar: optional spaces, [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?, optional spaces.
 * 'NaN', 'nan' and 'null' mean missing (NaN). Anything else ('1.2.3', '12abc', '', 'Infinity', '0x1f') is rejected.
 * Results equal `Number(text)` exactly: values with at most 15 significant digits and a power of ten
 * within ±22 take Clinger's exact fast path; the rest fall back to `Number` on the validated text.
 */

const POW10: Float64Array = (() => {
  const p = new Float64Array(23);
  for (let i = 0; i < 23; i++) p[i] = Number(`1e${i}`);
  return p;
})();

const enum Ch {
  Space = 32, Plus = 43, Minus = 45, Dot = 46, Zero = 48, Nine = 57, E = 69, e = 101,
  N = 78, n = 110, a = 97, u = 117, l = 108,
}

/** Parses text strictly: a number, NaN for 'NaN'/'nan'/'null' (missing), or undefined when it is not a number. */
export function parseNumber(text: string): number | undefined {
  let s = 0;
  let e = text.length;
  while (s < e && text.charCodeAt(s) === Ch.Space) s++;
  while (e > s && text.charCodeAt(e - 1) === Ch.Space) e--;
  if (s === e) return undefined;
  const c0 = text.charCodeAt(s);
  if (c0 === Ch.N || c0 === Ch.n) {
    const word = text.slice(s, e);
    return word === 'NaN' || word === 'nan' || word === 'null' ? NaN : undefined;
  }
  let i = s;
  let c = c0;
  let neg = false;
  if (c === Ch.Minus) { neg = true; i++; } else if (c === Ch.Plus) i++;
  let mant = 0;
  let sig = 0;
  let exp10 = 0;
  let digits = 0;
  while (i < e) {
    c = text.charCodeAt(i);
    if (c < Ch.Zero || c > Ch.Nine) break;
    if (mant !== 0 || c !== Ch.Zero) { mant = mant * 10 + (c - Ch.Zero); sig++; }
    digits++; i++;
  }
  if (i < e && text.charCodeAt(i) === Ch.Dot) {
    i++;
    while (i < e) {
      c = text.charCodeAt(i);
      if (c < Ch.Zero || c > Ch.Nine) break;
      if (mant !== 0 || c !== Ch.Zero) { mant = mant * 10 + (c - Ch.Zero); sig++; }
      exp10--; digits++; i++;
    }
  }
  if (digits === 0) return undefined;
  if (i < e) {
    c = text.charCodeAt(i);
    if (c !== Ch.E && c !== Ch.e) return undefined;
    i++;
    let eneg = false;
    if (i < e) {
      c = text.charCodeAt(i);
      if (c === Ch.Minus) { eneg = true; i++; } else if (c === Ch.Plus) i++;
    }
    let ev = 0;
    const eStart = i;
    while (i < e) {
      c = text.charCodeAt(i);
      if (c < Ch.Zero || c > Ch.Nine) return undefined;
      if (ev < 100000) ev = ev * 10 + (c - Ch.Zero);
      i++;
    }
    if (i === eStart) return undefined;
    exp10 += eneg ? -ev : ev;
  }
  if (sig <= 15 && exp10 >= -22 && exp10 <= 22) {
    const v = exp10 < 0 ? mant / POW10[-exp10] : mant * POW10[exp10];
    return neg ? -v : v;
  }
  return Number(text.slice(s, e));
}

/**
 * Parses bytes [start, end) of a UTF-8 buffer as a cell value, exactly as `parseNumber` parses its text,
 * except that an empty field is missing (NaN) rather than rejected.
 */
export function parseNumberBytes(buf: Uint8Array, start: number, end: number): number | undefined {
  if (start === end) return NaN;
  let s = start;
  let e = end;
  while (s < e && buf[s] === Ch.Space) s++;
  while (e > s && buf[e - 1] === Ch.Space) e--;
  if (s === e) return undefined;
  let i = s;
  let c = buf[i];
  if (c === Ch.N || c === Ch.n) return isMissingWordBytes(buf, s, e) ? NaN : undefined;
  let neg = false;
  if (c === Ch.Minus) { neg = true; i++; } else if (c === Ch.Plus) i++;
  let mant = 0;
  let sig = 0;
  let exp10 = 0;
  let digits = 0;
  while (i < e) {
    c = buf[i];
    if (c < Ch.Zero || c > Ch.Nine) break;
    if (mant !== 0 || c !== Ch.Zero) { mant = mant * 10 + (c - Ch.Zero); sig++; }
    digits++; i++;
  }
  if (i < e && buf[i] === Ch.Dot) {
    i++;
    while (i < e) {
      c = buf[i];
      if (c < Ch.Zero || c > Ch.Nine) break;
      if (mant !== 0 || c !== Ch.Zero) { mant = mant * 10 + (c - Ch.Zero); sig++; }
      exp10--; digits++; i++;
    }
  }
  if (digits === 0) return undefined;
  if (i < e) {
    c = buf[i];
    if (c !== Ch.E && c !== Ch.e) return undefined;
    i++;
    let eneg = false;
    if (i < e) {
      c = buf[i];
      if (c === Ch.Minus) { eneg = true; i++; } else if (c === Ch.Plus) i++;
    }
    let ev = 0;
    const eStart = i;
    while (i < e) {
      c = buf[i];
      if (c < Ch.Zero || c > Ch.Nine) return undefined;
      if (ev < 100000) ev = ev * 10 + (c - Ch.Zero);
      i++;
    }
    if (i === eStart) return undefined;
    exp10 += eneg ? -ev : ev;
  }
  if (sig <= 15 && exp10 >= -22 && exp10 <= 22) {
    const v = exp10 < 0 ? mant / POW10[-exp10] : mant * POW10[exp10];
    return neg ? -v : v;
  }
  return Number(latin1(buf, s, e));
}

function latin1(buf: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i++) out += String.fromCharCode(buf[i]);
  return out;
}

/** 'NaN', 'nan' or 'null' at bytes [s, e). */
function isMissingWordBytes(buf: Uint8Array, s: number, e: number): boolean {
  const len = e - s;
  if (len === 3) {
    return (buf[s] === Ch.N && buf[s + 1] === Ch.a && buf[s + 2] === Ch.N) ||
      (buf[s] === Ch.n && buf[s + 1] === Ch.a && buf[s + 2] === Ch.n);
  }
  return len === 4 && buf[s] === Ch.n && buf[s + 1] === Ch.u && buf[s + 2] === Ch.l && buf[s + 3] === Ch.l;
}

/** True for the texts that mean a missing cell: '', 'NaN', 'nan', 'null'. */
export function isMissingText(text: string): boolean {
  return text === '' || text === 'NaN' || text === 'nan' || text === 'null';
}
