import { SchemaMismatchError } from '../../core/errors';
import type { LoadedModel } from '../../scoring/batch-scorer';
import { fixedModel } from '../scoring/fixtures/fixed-model';
import { scoreText, tempStore, type TempStore } from '../scoring/fixtures/scoring-run';

/** Issue 10 item 9: embed works for every model with a latent, and a failing stage is a rejected promise. */
let at: TempStore;
beforeAll(async () => {
  at = await tempStore();
});

describe('embed', () => {
  let windowed: LoadedModel;
  let rows: LoadedModel;
  beforeAll(async () => {
    // latent unit k = sum of the (scaled) inputs the model sees: the whole window, or the row
    windowed = await fixedModel({ features: ['a', 'b'], window: 3, latent: 2 });
    rows = await fixedModel({ features: ['a', 'b'], latent: 2 });
  });
  afterAll(async () => {
    await windowed.scorer.release();
    await rows.scorer.release();
  });

  test('embed on a windowed model gives each row the latent of the window ending at it, earlier rows empty', async () => {
    const summary = await scoreText(at, windowed, 'id,a,b\nr1,1,2\nr2,3,4\nr3,5,6\nr4,7,8\n', 'embed.csv', { mode: 'embed' });
    expect((await at.text('out', 'embed.csv')).trimEnd().split('\n')).toEqual([
      'id,a,b,z0,z1',
      'r1,1,2,,',
      'r2,3,4,,',
      'r3,5,6,21,21', // 1+2+3+4+5+6
      'r4,7,8,33,33', // 3+4+5+6+7+8
    ]);
    expect(summary).toMatchObject({ rows_in: 4, rows_out: 4, rows_unscored: 2 });
  });

  test('embed on a row model with a latent writes one latent per row', async () => {
    await scoreText(at, rows, 'a,b\n1,2\n,\n-1,4\n', 'embed-rows.csv', { mode: 'embed' });
    expect((await at.text('out', 'embed-rows.csv')).trimEnd().split('\n')).toEqual(['a,b,z0,z1', '1,2,3,3', ',,,', '-1,4,3,3']);
  });
});

test('a stage that fails before the store reads the output rejects with its error, never an unhandled error event', async () => {
  const model = await fixedModel({ features: ['a', 'b'] });
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown) => void uncaught.push(e);
  process.on('uncaughtException', onUncaught);
  try {
    await expect(scoreText(at, model, 'a,c\n1,2\n', 'failed.csv')).rejects.toThrow(SchemaMismatchError);
    await new Promise((r) => setTimeout(r, 50));
    expect(uncaught).toEqual([]);
    expect(await at.exists('out', 'failed.csv')).toBe(false);
  } finally {
    process.off('uncaughtException', onUncaught);
    await model.scorer.release();
  }
});
