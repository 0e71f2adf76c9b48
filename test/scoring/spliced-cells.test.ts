import { CsvScanner } from '../../core/io/csv-scanner';
import type { CsvRow } from '../../core/io/csv-row';
import { SplicedCells } from '../../scoring/spliced-cells';
import { isMissingCell } from '../../scoring/replace-feature-cells';

/** The shared cell arrays of a batch: rows made before a block filled up keep their cells; unsorted columns are sorted. */
describe('SplicedCells', () => {
  const scanner = new CsvScanner(64, 1 << 20);
  scanner.scan(Buffer.from('a,b,c,d\n,,,\n1,,3,\n,,,\n'), 0, true);
  const rows = scanner.ready.flatMap((c) => c.rows as CsvRow[]);

  test('rows across full blocks, columns given out of order, a row without cells', () => {
    const cells = new SplicedCells(3);
    const made: (string | null)[] = [];
    const add = (row: CsvRow, pairs: [number, number][], ascending: boolean) => {
      cells.begin();
      for (const [c, v] of pairs) cells.add(c, v);
      made.push(cells.row(row, ascending)?.raw ?? null);
    };
    add(rows[0]!, [[0, 1], [1, 2]], true);
    add(rows[1]!, [[3, 4], [1, 2]], false);
    add(rows[2]!, [[0, 5], [1, 6], [2, 7], [3, 8]], true);
    add(rows[1]!, [], true);
    expect(made).toEqual(['1,2,,', '1,2,3,4', '5,6,7,8', null]);
  });

  test('fillMissing: the missing feature cells (empty, NaN text, quoted rows) get the model value, finite ones only', () => {
    const text = 'id,x,y,z\n1,,2.5,NaN\n"q",,"",7\n3, 1 ,null,\n4,1e3,,-0\n';
    const s = new CsvScanner(64, 1 << 20);
    s.scan(Buffer.from(text), 0, true);
    const table = s.ready.flatMap((c) => c.rows as CsvRow[]);
    const features = Int32Array.from([3, 1, 2]); // not in column order: the row sorts them
    const rec = Float32Array.from({ length: table.length * 3 }, (_, i) => (i === 4 ? Infinity : 0.25 * (i + 1)));
    const cells = new SplicedCells(4);
    const got = table.map((row, r) => {
      const n = cells.fillMissing(row, features, rec, r * 3);
      return [n, cells.row(row, false)?.raw ?? null];
    });
    // the reference: isMissingCell per feature, finite values only
    const want = table.map((row, r) => {
      const put = new Map<number, string>();
      features.forEach((c, j) => {
        const v = rec[r * 3 + j]!;
        if (isMissingCell(row, c) && Number.isFinite(v)) put.set(c, String(v));
      });
      const line = row.cells.map((_, j) => put.get(j) ?? row.raw.split(',')[j]);
      return [put.size, put.size ? line.join(',') : null];
    });
    expect(got).toEqual(want);
    expect(got).toEqual([
      [2, '1,0.5,2.5,0.25'],
      [1, '"q",,1.5,7'], // a quoted "" is missing too (isMissingCell); the ∞ for x is not written, x stays empty
      [2, '3, 1 ,2.25,1.75'],
      [1, '4,1e3,3,-0'],
    ]);
  });
});
