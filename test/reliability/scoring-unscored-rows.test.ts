import type { LoadedModel } from '../../scoring/batch-scorer';
import { fixedModel } from '../scoring/fixtures/fixed-model';
import { scoreText, tempStore, type TempStore } from '../scoring/fixtures/scoring-run';

/** Issue 10 item 3: rows the model did not check claim no score, no flag and no top features. */
let at: TempStore;
let rows: LoadedModel;
let windowed: LoadedModel;
beforeAll(async () => {
  at = await tempStore();
  rows = await fixedModel({ features: ['a', 'b', 'c'], threshold: 2 });
  windowed = await fixedModel({ features: ['a', 'b'], window: 3, threshold: 10 });
});
afterAll(async () => {
  await rows.scorer.release();
  await windowed.scorer.release();
});

const tail = (line: string, from: number) => line.split(',').slice(from);

test('a row whose feature cells are all missing gets empty model columns (score, probability, flag, top features and errors)', async () => {
  await scoreText(at, rows, 'id,a,b,c\n1,,,\n2,NaN,null,\n3,3,0,1\n', 'all-missing.csv');
  const lines = (await at.text('out', 'all-missing.csv')).trimEnd().split('\n');
  expect(tail(lines[1]!, 4)).toEqual(['', '', '', '', '']);
  expect(tail(lines[2]!, 4)).toEqual(['', '', '', '', '']);
  expect(tail(lines[3]!, 4)).toEqual(['3.3333333', '1', '1', 'a;c;b', '9;1;0']);
});

test('rows before a windowed model\'s first full window get an empty is_anomaly, not 0', async () => {
  await scoreText(at, windowed, 'a,b\n0,0\n1,1\n2,2\n3,0\n', 'early.csv');
  const lines = (await at.text('out', 'early.csv')).trimEnd().split('\n');
  expect(tail(lines[1]!, 2)).toEqual(['', '', '', '', '']);
  expect(tail(lines[2]!, 2)).toEqual(['', '', '', '', '']);
  expect(Number(tail(lines[3]!, 2)[0])).toBeCloseTo(10 / 6, 5);
  expect(tail(lines[3]!, 2)[2]).toBe('0');
});

test('the summary counts unscored rows within rows_out, and rows_in = rows_out + rows_rejected', async () => {
  const summary = await scoreText(at, windowed, 'a,b\n0,0\n1,x\n1,1\n,\n2,2\n3,0\n', 'counted.csv');
  // kept rows 0,0 | 1,1 | , | 2,2 | 3,0: two before the first full window, one with nothing observed
  expect(summary).toMatchObject({ rows_in: 6, rows_out: 5, rows_rejected: 1, rows_unscored: 3 });
  expect(summary.rows_in).toBe(summary.rows_out + summary.rows_rejected);
  const onDisk = JSON.parse(await at.text('out', 'counted.csv.summary.json'));
  expect(onDisk.rows_unscored).toBe(3);
});
