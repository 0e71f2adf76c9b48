import { parseIncomingKey, resultKey } from '../../functions/services/object-keys';
import { ERRORS_SUFFIX, SUMMARY_SUFFIX } from '../../scoring/write-scored-output';
import { lambdaOnFiles, RESULTS } from '../scoring/fixtures/scoring-run';

/** Issue 10 item 15: every input key gets its own results key, and no result is another input's companion. */
const keysOf = (key: string) => {
  const incoming = parseIncomingKey(key)!;
  const out = resultKey(incoming, 'v1', incoming.format);
  return [out, out + ERRORS_SUFFIX, out + SUMMARY_SUFFIX];
};

test('x.csv and x.csv.gz write different results keys', () => {
  expect(keysOf('incoming/m/x.csv')[0]).toBe('results/m/v1/x.csv');
  expect(keysOf('incoming/m/x.csv.gz')[0]).toBe('results/m/v1/x.csv.gz');
  expect(keysOf('incoming/m/x.CSV')[0]).toBe('results/m/v1/x.CSV');
});

test('no two inputs share an output or companion key, including inputs named like companions', () => {
  const names = ['x.csv', 'x.csv.gz', 'x.jsonl', 'x.jsonl.gz', 'x.parquet', 'e.csv', 'e.csv.errors.jsonl', 'e.csv.errors.ndjson.csv',
    'e.csv.summary.json.csv', 'e.csv.summary.json.jsonl', 'x.csv.csv', 'x.CSV', 'a/b.csv', 'a.csv.errors.jsonl.gz'];
  const all = names.flatMap((n) => keysOf(`incoming/m/${n}`));
  expect(new Set(all).size).toBe(all.length);
});

test('scoring x.csv and x.csv.gz leaves both results, each summary naming its own input', async () => {
  const lambda = await lambdaOnFiles({ name: 'plant', features: ['a'] });
  try {
    const { gzipSync } = await import('node:zlib');
    await lambda.score('incoming/plant/x.csv', 'a\n1\n');
    await lambda.score('incoming/plant/x.csv.gz', gzipSync('a\n2\n3\n'));
    const plain = JSON.parse(await lambda.text(RESULTS, 'results/plant/v1/x.csv.summary.json'));
    const zipped = JSON.parse(await lambda.text(RESULTS, 'results/plant/v1/x.csv.gz.summary.json'));
    expect(plain).toMatchObject({ input: 's3://raw/incoming/plant/x.csv', rows_in: 1 });
    expect(zipped).toMatchObject({ input: 's3://raw/incoming/plant/x.csv.gz', rows_in: 2 });
  } finally {
    await lambda.close();
  }
});

test('an input named e.csv.errors.jsonl does not overwrite the error report of e.csv', async () => {
  const lambda = await lambdaOnFiles({ name: 'plant', features: ['a'] });
  try {
    await lambda.score('incoming/plant/e.csv', 'a\n1\nx\n2\n');
    const report = await lambda.text(RESULTS, `results/plant/v1/e.csv${ERRORS_SUFFIX}`);
    expect(report.trimEnd().split('\n').map((l) => JSON.parse(l).line)).toEqual([3]);
    const outcome = await lambda.score('incoming/plant/e.csv.errors.jsonl', '{"a": 5}\n');
    expect(outcome.status).toBe('scored');
    expect(await lambda.text(RESULTS, `results/plant/v1/e.csv${ERRORS_SUFFIX}`)).toBe(report);
    expect(await lambda.exists(RESULTS, 'results/plant/v1/e.csv.errors.jsonl')).toBe(true);
  } finally {
    await lambda.close();
  }
});
