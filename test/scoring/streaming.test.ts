import { Readable } from 'node:stream';
import { readTable } from '../../core/io';
import type { ObjectLocation, ObjectStore } from '../../storage/object-store';
import { writeScoredOutput } from '../../scoring/write-scored-output';
import { fixedModel } from './fixtures/fixed-model';

/** An in-memory sink that counts what reached it and when (the scoring code under test is real). */
function countingStore() {
  const received = new Map<string, number>();
  const store: Pick<ObjectStore, 'put' | 'delete'> = {
    async delete(loc: ObjectLocation) {
      received.delete(loc.key);
    },
    async put(loc: ObjectLocation, body: Readable | Uint8Array | string) {
      received.set(loc.key, 0);
      if (!(body instanceof Readable)) {
        received.set(loc.key, body.length);
        return;
      }
      for await (const chunk of body) received.set(loc.key, received.get(loc.key)! + (chunk as Buffer).length);
    },
  };
  return { store: store as ObjectStore, received };
}

test('output is written while the input is still being read: the object is never held whole', async () => {
  const model = await fixedModel({ features: ['a', 'b', 'c'] });
  const { store, received } = countingStore();
  const chunks = 100; // ~5.5 MB: several of the reader's 1 MiB input batches
  let outputSeenBeforeLastInput = -1;
  async function* source() {
    yield new TextEncoder().encode('a,b,c,note\n');
    for (let i = 0; i < chunks; i++) {
      if (i === chunks - 1) outputSeenBeforeLastInput = received.get('out.csv') ?? 0;
      yield new TextEncoder().encode(`1,2,3,${'x'.repeat(100)}\n`.repeat(500));
    }
  }
  const summary = await writeScoredOutput({
    chunks: readTable(source(), { format: 'csv' }),
    model,
    mode: 'detect',
    inputFormat: 'csv',
    outputFormat: 'csv',
    store,
    output: { bucket: '', key: 'out.csv' },
    input: { uri: 'memory' },
  });
  expect(summary.rows_out).toBe(chunks * 500);
  // well over half of the output had been written before the last input chunk was even asked for
  expect(outputSeenBeforeLastInput).toBeGreaterThan(0.5 * received.get('out.csv')!);
  await model.scorer.release();
});
