import { closeScoringWorkers, workerPiecesScored } from '../../scoring/parallel/worker-pool';
import { lambdaOnFiles, RESULTS } from '../scoring/fixtures/scoring-run';
import { messyCsv } from '../scoring/fixtures/messy-csv';

/** The Lambda's scoreObject with worker threads (SCORING_THREADS / os.availableParallelism()): the one-thread bytes. */
describe('scoreObject with threads', () => {
  afterAll(() => closeScoringWorkers());

  test('an object scored in 2 worker threads gives the result, errors report and summary of 1 thread', async () => {
    const lambda = await lambdaOnFiles({ name: 'm', features: ['a', 'b', 'c'], threshold: 2 });
    try {
      // about 2.5 MB: two pieces of the default 2 MiB, so a worker scores at least one
      const body = messyCsv(80_000);
      const one = await lambda.score('incoming/m/one.csv', body, { threads: 1 });
      const before = workerPiecesScored();
      const two = await lambda.score('incoming/m/two.csv', body, { threads: 2, parallelMinBytes: 0 });
      expect(workerPiecesScored() - before).toBeGreaterThanOrEqual(2);
      if (one.status !== 'scored' || two.status !== 'scored') throw new Error(`not scored: ${one.status}, ${two.status}`);
      expect(one.summary.rows_rejected).toBeGreaterThan(100);
      const strip = (s: typeof one.summary) => ({ ...s, input: '', output: '', errors: !!s.errors, timings: null });
      expect(strip(two.summary)).toEqual(strip(one.summary));
      const key = (s: typeof one.summary) => s.output.replace(`s3://${RESULTS}/`, '');
      expect((await lambda.bytes(RESULTS, key(two.summary))).equals(await lambda.bytes(RESULTS, key(one.summary)))).toBe(true);
      expect(await lambda.text(RESULTS, `${key(two.summary)}.errors.ndjson`))
        .toBe(await lambda.text(RESULTS, `${key(one.summary)}.errors.ndjson`));
    } finally {
      await lambda.close();
    }
  }, 60_000);
});
