import fc from 'fast-check';
import { formatFloat32 } from '../../../core/io';

/** formatFloat32 as it was before the fast decimal writer (commit aeda22a): the oracle every output byte must match. */
const POW10 = Float64Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
function referenceFloat32(value: number): string {
  if (value !== value) return '';
  const f = Math.fround(value);
  if (!Number.isFinite(f) || (Number.isInteger(f) && Math.abs(f) <= 16777216)) return String(f);
  const a = Math.abs(f);
  if (a >= 1e-6 && a < 1e15) {
    const e = Math.floor(Math.log10(a));
    for (let p = 1; p <= 10; p++) {
      const k = p - 1 - e;
      const c = k >= 0 ? Math.round(f * POW10[k]) / POW10[k] : Math.round(f / POW10[-k]) * POW10[-k];
      if (Math.fround(c) === f) return String(c);
    }
  }
  for (let p = 1; p < 9; p++) {
    const text = f.toPrecision(p);
    if (Math.fround(Number(text)) === f) return String(Number(text));
  }
  return String(Number(f.toPrecision(9)));
}

const bits = new Uint32Array(1);
const asFloat = new Float32Array(bits.buffer);
const fromBits = (b: number) => ((bits[0] = b >>> 0), asFloat[0]!);

const same = (v: number) => {
  const got = formatFloat32(v);
  const want = referenceFloat32(v);
  if (got !== want) throw new Error(`bit pattern ${bits[0]!.toString(16)}: '${got}' !== '${want}'`);
};

describe('formatFloat32 (fast decimal writer) gives the same text as before, byte for byte', () => {
  test('every float32 bit pattern class: random bits (all exponents, subnormals, NaN payloads, ±Infinity)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (b) => { same(fromBits(b)); }), { numRuns: 60_000 });
  });

  test('fast-check floats and doubles (±0, subnormals, integers, extremes) and the doubles they round from', () => {
    fc.assert(fc.property(fc.float(), (f) => { same(f); }), { numRuns: 30_000 });
    fc.assert(fc.property(fc.double(), (d) => { same(d); }), { numRuns: 30_000 });
    fc.assert(fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (i) => { same(i); }), { numRuns: 10_000 });
  });

  test('scores, probabilities and errors as models write them, and runs of neighbouring float32 values', () => {
    const next = (f: number, n: number) => {
      asFloat[0] = f;
      bits[0] = bits[0]! + n;
      return asFloat[0]!;
    };
    // consecutive float32 around the fast range's edges, around powers of ten and inside ordinary ranges
    for (const start of [1e-6, 1e-5, 1e-3, 0.1, 0.5, 1, 9.999999, 10, 123.456, 1e6, 16777216, 1e7, 1e14, 1e15, 3.4e38, 1e-38, 1e-45]) {
      for (const sign of [1, -1]) for (let n = -600; n <= 600; n++) same(next(sign * start, n));
    }
    for (const x of [0, -0, NaN, Infinity, -Infinity, 2 ** -149, -(2 ** -149), 2 ** -126, 3.4028234663852886e38, 0.1, 1 / 3]) same(x);
    fc.assert(fc.property(fc.double({ min: -50, max: 50, noNaN: true }), fc.integer({ min: -40, max: 40 }), (m, e) => {
      same(m * 10 ** e);
    }), { numRuns: 30_000 });
  });

  test('special values keep their text', () => {
    expect([NaN, 0, -0, Infinity, -Infinity, Math.fround(0.1), Math.fround(-2.5), 16777217, 1e-7].map(formatFloat32))
      .toEqual(['', '0', '0', 'Infinity', '-Infinity', '0.1', '-2.5', '16777216', '1e-7']);
  });
});
