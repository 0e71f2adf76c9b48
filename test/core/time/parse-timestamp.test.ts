import { RawTimestamp } from '../../../core/io/raw-timestamp';
import { epochMs, parseTimestamp } from '../../../core/time/parse-timestamp';

describe('parseTimestamp', () => {
  test.each([
    ['2014-02-14 14:27:00', Date.UTC(2014, 1, 14, 14, 27, 0)],
    ['2014-02-14T14:27:00', Date.UTC(2014, 1, 14, 14, 27, 0)],
    ['2014-02-14T14:27:00Z', Date.UTC(2014, 1, 14, 14, 27, 0)],
    ['2014-02-14T14:27', Date.UTC(2014, 1, 14, 14, 27, 0)],
    ['2014-02-14', Date.UTC(2014, 1, 14)],
    ['2014-02-14T14:27:00.250Z', Date.UTC(2014, 1, 14, 14, 27, 0, 250)],
    ['2014-02-14T16:27:00+02:00', Date.UTC(2014, 1, 14, 14, 27, 0)],
    ['2014-02-14T09:27:00-0500', Date.UTC(2014, 1, 14, 14, 27, 0)],
    ['2016-02-29 00:00:00', Date.UTC(2016, 1, 29)],
    ['  2014-02-14 14:27:00  ', Date.UTC(2014, 1, 14, 14, 27, 0)],
  ])('ISO-8601 %j is read as UTC', (text, ms) => {
    expect(parseTimestamp(text)).toBe(ms);
  });

  test('epoch numbers: below 1e11 in magnitude are seconds, above milliseconds', () => {
    expect(parseTimestamp('1392388020')).toBe(1392388020000);
    expect(parseTimestamp('1392388020000')).toBe(1392388020000);
    expect(parseTimestamp('1392388020.5')).toBe(1392388020500);
    expect(parseTimestamp('0')).toBe(0);
    expect(epochMs(99_999_999_999)).toBe(99_999_999_999_000);
    expect(epochMs(100_000_000_000)).toBe(100_000_000_000);
  });

  test('parquet values: a timestamp (Date) as is, integers as epoch numbers', () => {
    const ts = new RawTimestamp(1392388020123456n, 'MICROS');
    expect(parseTimestamp(ts.toISOString(), ts)).toBe(1392388020123);
    expect(parseTimestamp('1392388020', 1392388020n)).toBe(1392388020000);
    expect(parseTimestamp('1392388020', 1392388020)).toBe(1392388020000);
  });

  test.each(['', 'yesterday', '2014-13-01', '2014-02-30', '2015-02-29', '2014-02-14 24:00:00', '2014-02-14 12:60', '14/02/2014',
    '2014-02-14T14:27:00+25:00', 'March 7', '1e', 'NaN', '2014-2-14'])('%j is not a timestamp', (text) => {
    expect(parseTimestamp(text)).toBeNaN();
  });
});

test('the fast path and the full grammar agree with Date.UTC over many dates and times', () => {
  for (let k = 0; k < 2000; k++) {
    const ms = Date.UTC(1900, 0, 1) + Math.floor(((k * 2654435761) % 4_000_000) * 1_000_000 / 1000) * 1000 * 7;
    const iso = new Date(ms).toISOString();
    expect(parseTimestamp(iso.slice(0, 19) + 'Z')).toBe(ms);
    expect(parseTimestamp(iso.slice(0, 19).replace('T', ' '))).toBe(ms);
    expect(parseTimestamp(iso)).toBe(ms);
    expect(parseTimestamp(iso.slice(0, 10))).toBe(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))));
  }
  expect(parseTimestamp('0050-06-01')).toBe(new Date('0050-06-01T00:00:00Z').getTime());
});
