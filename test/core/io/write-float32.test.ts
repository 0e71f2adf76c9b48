import fc from 'fast-check';
import { formatFloat32 } from '../../../core/io/format-number';
import { writeFloat32 } from '../../../core/io/write-float32';

/** writeFloat32 writes formatFloat32's text as bytes: the oracle is formatFloat32 itself, for every value class. */
const bits = new Uint32Array(1);
const asFloat = new Float32Array(bits.buffer);
const fromBits = (b: number) => ((bits[0] = b >>> 0), asFloat[0]!);
const out = Buffer.alloc(64, 0x78);

const same = (v: number) => {
  const at = 5;
  const end = writeFloat32(out, at, v);
  const got = out.toString('latin1', at, end);
  const want = formatFloat32(v);
  if (got !== want) throw new Error(`value ${v} (bits ${bits[0]!.toString(16)}): '${got}' !== '${want}'`);
  expect(end - at).toBeLessThanOrEqual(24);
};

describe('writeFloat32', () => {
  test('random bit patterns: all exponents, subnormals, NaN payloads, ±Infinity', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (b) => { same(fromBits(b)); }), { numRuns: 20_000 });
  });

  test('values a model writes: ±[1e-7, 1e16) on a log scale, and short decimals', () => {
    fc.assert(fc.property(fc.double({ min: -16, max: 16, noNaN: true }), fc.boolean(), (e, neg) => {
      same((neg ? -1 : 1) * 10 ** e);
    }), { numRuns: 20_000 });
    fc.assert(fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 12 }), (m, k) => {
      same(m / 10 ** k);
    }), { numRuns: 10_000 });
  });

  test('the float32 neighbours of each power of ten 1e-7 … 1e16 (where the decimal exponent changes)', () => {
    const f32 = new Float32Array(1);
    const b32 = new Uint32Array(f32.buffer);
    for (let e = -7; e <= 16; e++) {
      f32[0] = 10 ** e;
      const at = b32[0]!;
      for (let d = -64; d <= 64; d++) {
        same(fromBits(at + d));
        same(-fromBits(at + d));
      }
    }
  });

  test('edges: zero, −0, integers about 2^24, powers of ten, NaN (nothing written)', () => {
    for (const v of [0, -0, 1, -1, 9, 10, 99, 100, 16777215, 16777216, 16777217, -16777216, 33554432, 0.1, -0.5, 1e-6, 9.99999e-7,
      1e-7, 1e14, 1e15, 1e21, 123456.7, 0.000123, -0.00001, Infinity, -Infinity, 3.4028234663852886e38, 1.401298464324817e-45]) same(v);
    expect(writeFloat32(out, 3, NaN)).toBe(3);
  });
});
