import { InputError } from '../../../core/errors';
import { formatFromKey } from '../../../core/io';

describe('formatFromKey', () => {
  test.each([
    ['incoming/m/a.csv', 'csv', false], ['x/y.CSV.GZ', 'csv', true], ['d.jsonl', 'jsonl', false],
    ['d.jsonl.gz', 'jsonl', true], ['p/q r.parquet', 'parquet', false],
  ])('%s is %s (gzip %p)', (key, format, gzip) => {
    expect(formatFromKey(key)).toEqual({ format, gzip });
  });

  test.each(['a.txt', 'a.csv.zip', 'csv', '.csv', 'a.parquet.gz'])('%s throws InputError naming the key', (key) => {
    expect(() => formatFromKey(key)).toThrow(InputError);
    expect(() => formatFromKey(key)).toThrow(`'${key}'`);
  });
});
