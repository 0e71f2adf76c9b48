import { ByteCopier, LONG_COPY } from '../../../core/io/byte-copy';

describe('ByteCopier', () => {
  test('every run length 0 … LONG_COPY + 40 at odd offsets, two sources: the bytes Buffer.copy gives, nothing else touched', () => {
    const a = Buffer.from(Array.from({ length: 1024 }, (_, i) => (i * 37 + 11) & 0xff));
    // a view into a larger ArrayBuffer (as a Buffer from a pool or a subarray is): offsets are the view's
    const b = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 53 + 5) & 0xff)).subarray(3, 1500);
    for (let n = 0; n <= LONG_COPY + 40; n++) {
      for (const [src, from, at] of [[a, 1, 0], [b, 7, 3], [a, 0, 5], [b, 500 - n, 2]] as const) {
        const out = Buffer.alloc(n + 16, 0xee).subarray(1);
        const want = Buffer.alloc(n + 16, 0xee).subarray(1);
        src.copy(want, at, from, from + n);
        const copier = new ByteCopier(out);
        expect(copier.copy(src, from, from + n, at)).toBe(at + n);
        expect(out.equals(want)).toBe(true);
      }
    }
  });

  test('one copier, runs from several sources appended one after another', () => {
    const s1 = Buffer.from('hello, world; ');
    const s2 = Buffer.from('0123456789'.repeat(30));
    const out = Buffer.alloc(400);
    const copier = new ByteCopier(out);
    let at = copier.copy(s1, 0, 5, 0);
    at = copier.copy(s2, 3, 9, at);
    at = copier.copy(s1, 5, 14, at);
    at = copier.copy(s2, 0, 250, at);
    at = copier.copy(s1, 3, 3, at);
    expect(out.toString('latin1', 0, at)).toBe(`hello345678, world; ${s2.toString('latin1', 0, 250)}`);
  });
});
