import { CsvScanner } from '../../core/io/csv-scanner';
import type { CsvRow } from '../../core/io/csv-row';
import { SplicedCells } from '../../scoring/spliced-cells';

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
});
