import { InputError } from '../../../core/errors';
import { formatFromKey } from '../../../core/io';

describe('formatFromKey', () => {
  test.each([
    ['incoming/m/a.csv', 'csv', false], ['x/y.CSV.GZ', 'csv', true], ['d.jsonl', 'jsonl', false],
    ['d.jsonl.gz', 'jsonl', true], ['p/q r.parquet', 'parquet', false],
    // issue 10 item 17: extensions are case-insensitive
    ['a.CSV', 'csv', false], ['a.Csv.GZ', 'csv', true], ['a.Parquet', 'parquet', false], ['a.JSONL', 'jsonl', false],
    ['a.JsonL.Gz', 'jsonl', true],
  ])('%s is %s (gzip %p)', (key, format, gzip) => {
    expect(formatFromKey(key)).toEqual({ format, gzip });
  });

  test.each(['a.txt', 'a.csv.zip', 'csv', '.csv', 'a.parquet.gz'])('%s throws InputError naming the key', (key) => {
    expect(() => formatFromKey(key)).toThrow(InputError);
    expect(() => formatFromKey(key)).toThrow(`'${key}'`);
  });
});
