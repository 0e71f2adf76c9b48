import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractFeatures, readTable } from '../../core/io';
import { FileObjectStore } from '../../storage/adapters/file-object-store';
import { readTrainingData } from '../../training/read-training-data';

const CSV = 'a;b;c\n1,5;2,25;3\n-0,5;7;\n10;"4,75";1,0\n';

describe('semicolon CSV with decimal commas (issue 10 item 8)', () => {
  test('scoring side: decimal-comma cells of a ; CSV are read as numbers, quoted or not', async () => {
    const xs: number[] = [];
    let rejected = 0;
    for await (const chunk of readTable((async function* () { yield Buffer.from(CSV); })(), { format: 'csv' })) {
      const batch = extractFeatures(chunk, [0, 1, 2]);
      xs.push(...batch.x);
      rejected += batch.rejected.length + chunk.rejected.length;
    }
    expect(rejected).toBe(0);
    expect(xs).toEqual([1.5, 2.25, 3, -0.5, 7, NaN, 10, 4.75, 1]);
  });

  test('a comma-delimited CSV does not read 1,5 as a decimal (it is two fields)', async () => {
    for await (const chunk of readTable((async function* () { yield Buffer.from('a,b\n"1,5",2\n'); })(), { format: 'csv' })) {
      const batch = extractFeatures(chunk, [0, 1]);
      expect(batch.rejected).toHaveLength(1);
    }
  });

  test('training side: every decimal-comma column of a ; CSV is a feature and no row is rejected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'residual-dc-'));
    try {
      writeFileSync(join(dir, 'train.csv'), CSV);
      const data = await readTrainingData(new FileObjectStore(dir), { bucket: '', key: join(dir, 'train.csv') });
      expect(data.features).toEqual(['a', 'b', 'c']);
      expect(data.droppedColumns).toEqual([]);
      expect(data.rejectedRows).toBe(0);
      expect(Array.from(data.values)).toEqual([1.5, 2.25, 3, -0.5, 7, NaN, 10, 4.75, 1]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
