import fc from 'fast-check';
import { parseNumber, parseNumberBytes } from '../../../core/io';

describe('parseNumber', () => {
  test.each([
    ['42', 42], ['-7', -7], ['+3', 3], ['0.5', 0.5], ['-.25', -0.25], ['1.', 1], ['1e3', 1000], ['2.5E-3', 0.0025],
    ['-1e+2', -100], ['  12  ', 12], ['0.1', 0.1], ['12345678901234567890', 12345678901234567890], ['1e400', Infinity],
  ])('accepts %j as %p', (text, value) => {
    expect(parseNumber(text)).toBe(value);
  });

  test.each(['NaN', 'nan', 'null'])('reads %j as missing (NaN)', (text) => {
    expect(parseNumber(text)).toBeNaN();
  });

  test.each(['1.2.3', '12abc', '', ' ', '-', '.', 'e5', '1e', '1e+', 'Infinity', '0x1f', '1,5', '1 2', 'NAN'])('rejects %j', (text) => {
    expect(parseNumber(text)).toBeUndefined();
  });

  test('equals Number() on every JavaScript number string', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
      expect(Object.is(parseNumber(String(v)), Number(String(v)))).toBe(true);
    }), { numRuns: 2000 });
  });

  test('equals Number() on random decimal texts', () => {
    const digits = fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), minLength: 1, maxLength: 20 });
    const text = fc.tuple(fc.constantFrom('', '-', '+'), digits, fc.option(digits), fc.option(fc.integer({ min: -330, max: 330 })))
      .map(([s, i, f, e]) => `${s}${i}${f === null ? '' : '.' + f}${e === null ? '' : 'e' + e}`);
    fc.assert(fc.property(text, (t) => {
      expect(Object.is(parseNumber(t), Number(t))).toBe(true);
    }), { numRuns: 3000 });
  });

  test('the byte parser agrees with the string parser, except that an empty field is missing', () => {
    const text = fc.string({ unit: fc.constantFrom('0', '7', '.', '-', '+', 'e', 'E', ' ', 'a', 'N', 'n'), maxLength: 8 });
    fc.assert(fc.property(text, (t) => {
      const bytes = Buffer.from(`x${t}y`);
      const expected = t === '' ? NaN : parseNumber(t);
      expect(Object.is(parseNumberBytes(bytes, 1, bytes.length - 1), expected)).toBe(true);
    }), { numRuns: 3000 });
  });
});
