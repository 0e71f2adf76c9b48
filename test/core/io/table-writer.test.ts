import fc from 'fast-check';
import { createTableWriter, formatFloat32, formatNumber } from '../../../core/io';
import { collect } from './helpers';

describe('table writers', () => {
  test('CSV fields holding the delimiter, a quote or a line break are quoted with "" escapes', () => {
    const w = createTableWriter('csv', ['a', 'b', 'c', 'd'], { delimiter: ';' });
    expect(w.rows([{ values: ['x;y', 'say "hi"', 'l1\nl2', 'plain,comma'] }])).toBe('"x;y";"say ""hi""";"l1\nl2";plain,comma\n');
  });

  test('a CSV source row is copied as its raw text with the values appended', async () => {
    const { chunks } = await collect('a;b\n 01 ;"q"\n');
    const w = createTableWriter('csv', ['a', 'b', 'score', 'flag'], { delimiter: ';', sourceFormat: 'csv' });
    expect(`${w.header()}${w.rows([{ source: chunks[0].rows[0], values: [0.5, 1] }])}`).toBe('a;b;score;flag\n 01 ;"q";0.5;1\n');
  });

  test('missing values (null, undefined, NaN) are empty CSV fields and JSON nulls', () => {
    const csv = createTableWriter('csv', ['a', 'b', 'c'], {});
    const jsonl = createTableWriter('jsonl', ['a', 'b', 'c'], {});
    expect([csv.rows([{ values: [null, undefined, NaN] }]), jsonl.rows([{ values: [null, undefined, NaN] }])]).toEqual([
      ',,\n',
      '{"a":null,"b":null,"c":null}\n',
    ]);
  });

  test('JSON Lines: number-like cell text is written as a JSON number, other text as a string', () => {
    const w = createTableWriter('jsonl', ['a', 'b', 'c'], {});
    expect(w.rows([{ values: ['1.50', '1.2.3', 'x"y'] }])).toBe('{"a":1.50,"b":"1.2.3","c":"x\\"y"}\n');
  });

  test('a JSON Lines source row keeps its line byte for byte, with the values added before the closing brace', async () => {
    const { chunks } = await collect('{"a": 1, "extra": [1,2]}\n{}\n', { format: 'jsonl' });
    const w = createTableWriter('jsonl', ['a', 'score'], { sourceFormat: 'jsonl' });
    expect(w.rows(chunks[0].rows.map((r) => ({ source: r, values: [2] })))).toBe('{"a": 1, "extra": [1,2],"score":2}\n{"score":2}\n');
  });

  test('CSV source rows written as JSON Lines become objects keyed by column', async () => {
    const { chunks } = await collect('a,b\n1,x\n');
    const w = createTableWriter('jsonl', ['a', 'b', 'score'], { sourceFormat: 'csv' });
    expect(w.rows([{ source: chunks[0].rows[0], values: [0.25] }])).toBe('{"a":1,"b":"x","score":0.25}\n');
  });

  test('numbers are written in shortest round-trip form', () => {
    expect([formatNumber(0.1 + 0.2), formatNumber(1e21), formatNumber(-0.5), formatNumber(NaN)]).toEqual([
      '0.30000000000000004',
      '1e+21',
      '-0.5',
      '',
    ]);
  });

  test('float32 numbers are written as the shortest text that reads back as the same float32 (integers as integers)', () => {
    fc.assert(fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (f) => {
      const text = formatFloat32(f);
      expect(Math.fround(Number(text)) === Math.fround(f)).toBe(true); // -0 is written as 0
      const digits = text.replace(/e.*$/, '').replace(/[-.]/g, '').replace(/^0+/, '').length;
      if (digits > 1 && !Number.isInteger(f)) expect(Math.fround(Number(Math.fround(f).toPrecision(digits - 1)))).not.toBe(Math.fround(f));
    }), { numRuns: 2000 });
    expect(formatFloat32(Math.fround(0.1))).toBe('0.1');
  });
});
