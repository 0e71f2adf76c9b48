import type { LoadedModel } from '../../scoring/batch-scorer';
import { fixedModel } from '../scoring/fixtures/fixed-model';
import { scoreText, tempStore, type TempStore } from '../scoring/fixtures/scoring-run';

/** Issue 10 item 7: impute and denoise change feature cells only; every other cell keeps its bytes. */
let at: TempStore;
let model: LoadedModel;
beforeAll(async () => {
  at = await tempStore();
  // zero model: the reconstruction is the scaler offset, 10 for a, 20 for b
  model = await fixedModel({ features: ['a', 'b'], offset: [10, 20], scale: [1, 1] });
});
afterAll(() => model.scorer.release());

const CSV = ['id,note,a,b,tag', '1,NaN,,5,null', '2,nan,"7",, nan ', '3,"x,y",NaN,null,"quoted"', ''].join('\n');

test('impute copies non-feature CSV cells byte for byte (NaN, nan, null, quotes and spaces stay)', async () => {
  const summary = await scoreText(at, model, CSV, 'imputed.csv', { mode: 'impute' });
  expect(await at.text('out', 'imputed.csv')).toBe(
    ['id,note,a,b,tag', '1,NaN,10,5,null', '2,nan,"7",20, nan ', '3,"x,y",10,20,"quoted"', ''].join('\n'));
  expect(summary.cells_imputed).toBe(4);
});

test('denoise copies non-feature CSV cells byte for byte', async () => {
  await scoreText(at, model, CSV, 'denoised.csv', { mode: 'denoise' });
  expect(await at.text('out', 'denoised.csv')).toBe(
    ['id,note,a,b,tag', '1,NaN,10,20,null', '2,nan,10,20, nan ', '3,"x,y",10,20,"quoted"', ''].join('\n'));
});

test('impute copies non-feature JSONL members byte for byte and adds a missing feature key', async () => {
  const jsonl = [
    '{"id": "1", "note": "NaN", "a": null, "b": 5, "n": 1.50}',
    '{"id":"2","note":null,"nested":{"a":1,"b":[1,2]},"a":3}',
    '',
  ].join('\n');
  await scoreText(at, model, jsonl, 'imputed.jsonl', { mode: 'impute', format: 'jsonl' });
  expect(await at.text('out', 'imputed.jsonl')).toBe([
    '{"id": "1", "note": "NaN", "a": 10, "b": 5, "n": 1.50}',
    '{"id":"2","note":null,"nested":{"a":1,"b":[1,2]},"a":3,"b":20}',
    '',
  ].join('\n'));
});

test('impute from CSV into JSON Lines writes the imputed values and the other cells as read', async () => {
  await scoreText(at, model, 'id,a,b\nr1,,5\n', 'cross.jsonl', { mode: 'impute', extra: { outputFormat: 'jsonl' } });
  expect(await at.text('out', 'cross.jsonl')).toBe('{"id":"r1","a":10,"b":5}\n');
});

test('impute splices fills into the first and the last field of an unquoted row, the bytes between kept', async () => {
  const csv = ['a,id,b', ',x 1,', '1.50,  y,', ',z,2e0', 'NaN,w,null', ''].join('\n');
  const summary = await scoreText(at, model, csv, 'ends.csv', { mode: 'impute' });
  expect(await at.text('out', 'ends.csv')).toBe(['a,id,b', '10,x 1,20', '1.50,  y,20', '10,z,2e0', '10,w,20', ''].join('\n'));
  expect(summary.cells_imputed).toBe(6);
});
