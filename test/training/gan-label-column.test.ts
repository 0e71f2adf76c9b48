// A generative model keeps a label or class column as data (sample --condition pins it); detectors still refuse it.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTrainingData } from '../../training/read-training-data';
import { FileObjectStore } from '../../storage/adapters/file-object-store';

test('a column named label is refused for a detector and kept for a gan (labelsAreData)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'residual-gan-label-'));
  const file = join(dir, 'beats.csv');
  await writeFile(file, 't0,t1,label\n0.1,0.2,1\n0.3,0.1,0\n0.2,0.4,1\n0.5,0.3,0\n');
  const store = new FileObjectStore();
  const at = { bucket: '', key: file };
  await expect(readTrainingData(store, at, {})).rejects.toThrow(/'label' \(named like a label\)/);
  const data = await readTrainingData(store, at, { labelsAreData: true });
  expect(data.features).toEqual(['t0', 't1', 'label']);
  expect(Array.from(data.values.subarray(0, 3))).toEqual([Math.fround(0.1), Math.fround(0.2), 1]);
  // the other guard still holds: a constant column carries no information
  await writeFile(file, 't0,label\n1,1\n1,0\n');
  await expect(readTrainingData(store, at, { labelsAreData: true })).rejects.toThrow(/'t0' \(constant in the training data\)/);
});
