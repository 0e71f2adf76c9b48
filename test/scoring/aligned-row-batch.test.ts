import { AlignedRowBatch, ROW_ALIGN } from '../../scoring/aligned-row-batch';
import type { LoadedModel } from '../../scoring/batch-scorer';
import { fixedModel } from './fixtures/fixed-model';

/** Rows placed by their line and read back: each row gets its own outputs, whatever the gaps between lines. */
describe('AlignedRowBatch', () => {
  let model: LoadedModel;
  beforeAll(async () => {
    model = await fixedModel({ features: ['a', 'b'], latent: 1 });
  });
  afterAll(() => model.scorer.release());

  test.each([
    ['consecutive lines from an unaligned start', [2, 3, 4, 5, 6]],
    ['gaps (rejected rows, multi-line records), one longer than the alignment', [7, 9, 10, 10 + ROW_ALIGN + 3, 200]],
    ['one row', [ROW_ALIGN + 1]],
  ])('%s', async (_label, lines) => {
    const rows = lines.length;
    const x = Float32Array.from({ length: rows * 2 }, (_, i) => i + 1);
    const mask = Float32Array.from({ length: rows * 2 }, (_, i) => (i % 5 === 3 ? 0 : 1));
    const fetch = ['score', 'featureError', 'latent'] as const;
    const compact = await model.scorer.run(x, mask, rows, fetch);
    const aligned = await new AlignedRowBatch(model.scorer, 2).run(x, mask, rows, lines, fetch);
    for (const key of fetch) expect(Array.from(aligned[key]!)).toEqual(Array.from(compact[key]!));
    expect(aligned.latent).toHaveLength(rows);
  });
});
