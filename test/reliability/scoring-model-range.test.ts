import type { LoadedModel } from '../../scoring/batch-scorer';
import { fixedModel } from '../scoring/fixtures/fixed-model';
import { scoreText, tempStore } from '../scoring/fixtures/scoring-run';

// Issue 10 item 2: a finite float32 such as 1e30 is still beyond what a model trained at scale 1 can score in
// float32 (its squared error overflows, and a missing cell beside it turned the score into NaN: an empty score
// and is_anomaly 0). Such a row is rejected with VALUE_OUT_OF_RANGE naming the column, in every mode.
let model: LoadedModel;

beforeAll(async () => {
  model = await fixedModel({ features: ['a', 'b', 'c'], threshold: 2 });
});

afterAll(async () => {
  await model.scorer.release();
});

const INPUT = 'a,b,c\n1,2,3\n1e30,,3\n4,5,6\n';

test.each(['detect', 'impute', 'denoise'] as const)('%s: 1e30 next to a missing cell is a rejected row naming its column', async (mode) => {
  const at = await tempStore();
  const summary = await scoreText(at, model, INPUT, `x-${mode}.csv`, { mode });
  expect(summary.rows_in).toBe(3);
  expect(summary.rows_rejected).toBe(1);
  expect(summary.rows_out).toBe(2);
  const errors = await at.text('out', `x-${mode}.csv.errors.ndjson`);
  expect(errors).toContain('VALUE_OUT_OF_RANGE');
  expect(errors).toContain("'a'");
  expect(errors).not.toContain('1e30');
});

test('a large value the model can still score in float32 (1e6 at scale 1) is scored, with a finite score', async () => {
  const at = await tempStore();
  const summary = await scoreText(at, model, 'a,b,c\n1e6,,3\n', 'big.csv');
  expect(summary.rows_rejected).toBe(0);
  const out = (await at.text('out', 'big.csv')).trim().split('\n');
  const score = Number(out[1]!.split(',')[3]);
  expect(Number.isFinite(score)).toBe(true);
  expect(score).toBeGreaterThan(1e10);
  expect(out[1]!.split(',')[5]).toBe('1');
});

test('the summary groups the rejection under its full reason, column name left out', async () => {
  const at = await tempStore();
  const summary = await scoreText(at, model, INPUT, 'grouped.csv');
  expect(summary.rejected_reasons).toEqual({
    'VALUE_OUT_OF_RANGE: value too far from the training range of the model to score in float32 in column': 1,
  });
});
