import fc from 'fast-check';
import { extractFeatures, featureBoundsFor, type TableChunk } from '../../../core/io';
import { InternalError } from '../../../core/errors';
import { collect } from './helpers';

async function chunkOf(text: string, format: 'csv' | 'jsonl' = 'csv'): Promise<TableChunk> {
  return (await collect(text, { format })).chunks[0];
}

describe('extractFeatures', () => {
  test('x holds the feature columns row by row in the requested order and mask marks observed cells', async () => {
    const chunk = await chunkOf('id,a,b\nr1,1.5,\nr2,NaN,-2e1\n');
    const { x, mask, keep } = extractFeatures(chunk, [2, 1]);
    expect([Array.from(x), Array.from(mask), keep.map((r) => r.line)]).toEqual([[NaN, 1.5, -20, NaN], [0, 1, 1, 0], [2, 3]]);
  });

  test('anyMissing: false only when every feature cell read was observed, in each reader (scan run, scan, cells, JSON)', async () => {
    const cases: [string, number[], boolean][] = [
      ['a,b,c\n1,2,3\n4,5,6\n', [0, 1], false],
      ['a,b,c\n1,2,3\n4,,6\n', [0, 1], true], // adjacent features: the scan-run reader
      ['a,b,c\n1,2,3\n4,5,\n', [2, 0], true], // not adjacent: the scan reader
      ['a,b,c\n1,2,3\n4,5,\n', [0, 1], false], // the empty cell is not a feature
      ['a,b,c\n1,"x,y",NaN\n', [2], true], // a quoted row: read from its cells
      ['a,b,c\n1,"x,y",3\n', [2, 0], false],
    ];
    for (const [text, cols, want] of cases) expect([text, extractFeatures(await chunkOf(text), cols).anyMissing]).toEqual([text, want]);
    expect(extractFeatures(await chunkOf('{"a":null,"b":1}\n', 'jsonl'), [0, 1]).anyMissing).toBe(true);
    expect(extractFeatures(await chunkOf('{"a":2,"b":1}\n', 'jsonl'), [0, 1]).anyMissing).toBe(false);
  });

  test('a non-numeric value rejects the row with a reason naming the column and the line', async () => {
    const chunk = await chunkOf('a,b\n1,2\n3,abc\n4,5\n');
    const { x, keep, rejected } = extractFeatures(chunk, [0, 1]);
    expect([Array.from(x), keep.map((r) => r.line), rejected]).toEqual([
      [1, 2, 4, 5],
      [2, 4],
      [{ line: 3, reason: "non-numeric value in column 'b' on line 3" }],
    ]);
  });

  test('bounds: an observed value past them rejects its row; missing cells (empty, NaN, quoted, JSON null) never do', async () => {
    // offset 0, scale 1: the limits are ±1e12 (MAX_SCALED_MAGNITUDE training-scale units)
    const bounds = featureBoundsFor([0, 0], [1, 1]);
    const chunk = await chunkOf('a,b\n,NaN\n"",9e11\n-2e12,\n1,2\n,3e12\n');
    const { keep, rejected } = extractFeatures(chunk, [0, 1], undefined, bounds);
    expect([keep.map((r) => r.line), rejected.map((r) => r.line)]).toEqual([[2, 3, 5], [4, 6]]);
    expect(rejected[1]!.reason).toContain("column 'b'");
    const json = await chunkOf('{"a":null,"b":1}\n{"a":5e12,"b":null}\n', 'jsonl');
    expect(extractFeatures(json, [0, 1], undefined, bounds).rejected.map((r) => r.line)).toEqual([2]);
  });

  test('quoted numeric fields are numbers', async () => {
    const chunk = await chunkOf('a,b\n"1.25","-3"\n');
    expect(Array.from(extractFeatures(chunk, [0, 1]).x)).toEqual([1.25, -3]);
  });

  test('non-feature columns may hold anything', async () => {
    const chunk = await chunkOf('name,v\n"x,y",1\nhello,2\n');
    expect(extractFeatures(chunk, [1]).keep.length).toBe(2);
  });

  test('JSON Lines rows are extracted from their cells', async () => {
    const chunk = await chunkOf('{"a":1,"b":"2.5"}\n{"a":null}\n', 'jsonl');
    const { x, mask } = extractFeatures(chunk, [0, 1]);
    expect([Array.from(x), Array.from(mask)]).toEqual([[1, 2.5, NaN, NaN], [1, 1, 0, 0]]);
  });

  test('a feature column index outside the table throws InternalError (a bug, not bad input) naming featureColumns', async () => {
    const chunk = await chunkOf('a,b\n1,2\n');
    const expected = new InternalError('featureColumns holds 2, which is not a column index of this 2-column table');
    expect(() => extractFeatures(chunk, [0, 2])).toThrow(expected);
  });

  test('given buffers large enough are reused and the results are views of the kept length', async () => {
    const chunk = await chunkOf('a\n1\n2\nx\n');
    const out = { x: new Float32Array(16), mask: new Float32Array(16) };
    const r = extractFeatures(chunk, [0], out);
    expect([r.x.buffer === out.x.buffer, r.mask.buffer === out.mask.buffer, r.x.length]).toEqual([true, true, 2]);
  });

  test('feature columns in any order read the same values as in file order', async () => {
    const cell = fc.oneof(
      fc.double({ noNaN: true, min: -3.4e38, max: 3.4e38 }).map(String),
      fc.constantFrom('', 'NaN', '1e5', ' 2 ', '0.5'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(cell, { minLength: 2, maxLength: 12 }).chain((cells) =>
          fc.tuple(
            fc.constant(cells),
            fc.shuffledSubarray(
              cells.map((_, j) => j),
              { minLength: 1 },
            ),
          ),
        ),
        async ([cells, order]) => {
          const chunk = await chunkOf(`${cells.map((_, j) => `c${j}`).join(',')}\n${cells.join(',')}\n`);
          const all = extractFeatures(
            chunk,
            cells.map((_, j) => j),
          );
          const some = extractFeatures(chunk, order);
          expect(Array.from(some.x)).toEqual(order.map((j) => all.x[j]));
          expect(Array.from(some.mask)).toEqual(order.map((j) => all.mask[j]));
        },
      ),
      { numRuns: 200 },
    );
  });

  test('the CSV fast path gives the float32 of Number(text) for every cell', async () => {
    const cell = fc.oneof(
      fc.double({ noNaN: true, min: -3.4e38, max: 3.4e38 }).map(String),
      fc.tuple(fc.integer({ min: -99999999, max: 99999999 }), fc.nat(12)).map(([m, s]) => (m / 10 ** s).toFixed(s)),
      fc.constantFrom('', 'NaN', 'null', ' 1 ', '007', '+.5', '1e-3', '123456789012345678'),
    );
    await fc.assert(fc.asyncProperty(fc.array(cell, { minLength: 1, maxLength: 30 }), async (cells) => {
      const chunk = await chunkOf(`${cells.map((_, j) => `c${j}`).join(',')}\n${cells.join(',')}\n`);
      const { x, mask } = extractFeatures(chunk, cells.map((_, j) => j));
      const expected = cells.map((c) => (['', 'NaN', 'null'].includes(c) ? NaN : Math.fround(Number(c))));
      expect(Array.from(x)).toEqual(expected);
      expect(Array.from(mask)).toEqual(expected.map((v) => (Number.isNaN(v) ? 0 : 1)));
    }), { numRuns: 300 });
  });
});
