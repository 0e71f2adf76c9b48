import fc from 'fast-check';
import { CsvScanner } from '../../../core/io/csv-scanner';
import { CsvRow } from '../../../core/io/csv-row';
import { CsvSplicedRow } from '../../../core/io/csv-spliced-row';
import { formatFloat32 } from '../../../core/io/format-number';

/** The rows core/io's scanner reads from `text` (header first). */
function rowsOf(text: string): CsvRow[] {
  const scanner = new CsvScanner(4096, 1 << 20);
  scanner.scan(Buffer.from(text), 0, true);
  return scanner.ready.flatMap((c) => c.rows as CsvRow[]);
}

/** The splice as text, field by field (the reference): fields [start, next start − 1) replaced, the rest kept. */
function reference(row: CsvRow, cols: number[], values: number[]): string {
  const b = row.bounds();
  let out = '';
  let from = row.start;
  cols.forEach((j, i) => {
    out += row.bytes.toString('utf8', from, b[j]!) + formatFloat32(values[i]!);
    from = b[j + 1]! - 1;
  });
  return out + row.bytes.toString('utf8', from, row.end);
}

function spliced(row: CsvRow, cols: number[], values: number[]): CsvSplicedRow {
  // the arrays are shared by the rows of a batch: the row's cells start at an offset
  const pad = 3;
  return new CsvSplicedRow(row, Int32Array.from([9, 9, 9, ...cols]), Float32Array.from([1, 2, 3, ...values]), pad, cols.length);
}

const written = (row: CsvSplicedRow) => {
  const out = Buffer.alloc(row.maxBytes + 8, 0x7e);
  const end = row.writeTo(out, 4);
  return out.toString('utf8', 4, end);
};

describe('CsvSplicedRow', () => {
  test('replaces exactly the given fields: empty, quoted, spaced, first, last, CRLF records, non-ASCII text kept', () => {
    const rows = rowsOf('id,a,b,c\r\n1,,2,\r\n"x,y","", 3 ,NaN\r\nü,1e3,,"q""q"\n7,,,\n');
    const cases: [number, number[]][] = [[0, [1, 3]], [1, [1, 3]], [1, [0]], [2, [2]], [3, [0, 1, 2, 3]], [3, []]];
    for (const [r, cols] of cases) {
      const values = cols.map((c) => 0.1 * (c + 1) - 0.05);
      const s = spliced(rows[r]!, cols, values);
      const want = reference(rows[r]!, cols, values);
      expect(written(s)).toBe(want);
      expect(s.raw).toBe(want);
      const cells = rows[r]!.cells.slice();
      cols.forEach((c, i) => { cells[c] = formatFloat32(values[i]!); });
      expect(s.cells).toEqual(cells);
    }
    expect(written(spliced(rows[0]!, [1, 3], [2.5, -1]))).toBe('1,2.5,2,-1');
    expect(written(spliced(rows[1]!, [1], [7]))).toBe('"x,y",7, 3 ,NaN');
  });

  test('random tables: writeTo matches the text splice, any columns, any values', () => {
    const cell = fc.oneof(fc.constant(''), fc.double({ noNaN: true }).map(String), fc.constantFrom('"a,b"', ' 1 ', 'NaN', 'é', '"""q"""'));
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }).chain((w) => fc.tuple(
      fc.constant(w), fc.array(fc.array(cell, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 6 }),
      fc.array(fc.float({ noNaN: true }), { minLength: w, maxLength: w }), fc.array(fc.boolean(), { minLength: w, maxLength: w }),
    )), ([w, table, values, pick]) => {
      const text = [Array.from({ length: w }, (_, j) => `c${j}`).join(','), ...table.map((r) => r.join(','))].join('\n') + '\n';
      const cols = pick.flatMap((p, j) => (p ? [j] : []));
      for (const row of rowsOf(text)) {
        const vs = cols.map((j) => Math.fround(values[j]!));
        expect(written(spliced(row, cols, vs))).toBe(reference(row, cols, vs));
      }
    }), { numRuns: 400 });
  });
});
