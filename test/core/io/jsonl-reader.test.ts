import { EmptyObjectError, LineTooLongError, NotUtf8Error } from '../../../core/io';
import { collect } from './helpers';

const jsonl = { format: 'jsonl' as const };

describe('readTable jsonl', () => {
  test('columns are the keys of the first object, in order', async () => {
    const t = await collect('{"b":1,"a":2}\n{"a":3,"b":4}\n', jsonl);
    expect([t.columns, t.rows.map((r) => r.cells)]).toEqual([['b', 'a'], [['1', '2'], ['4', '3']]]);
  });

  test('an absent key and a JSON null are missing cells', async () => {
    const t = await collect('{"a":1,"b":2}\n{"a":3}\n{"a":null,"b":"x"}\n', jsonl);
    expect(t.rows.map((r) => r.cells)).toEqual([['1', '2'], ['3', null], [null, 'x']]);
  });

  test('a line that is not JSON is rejected with its line and the other rows continue', async () => {
    const t = await collect('{"a":1}\n{"a":\n{"a":2}\n', jsonl);
    expect([t.rows.map((r) => r.line), t.rejected]).toEqual([[1, 3], [{ line: 2, reason: 'line is not valid JSON' }]]);
  });

  test('a JSON value that is not an object is rejected', async () => {
    const t = await collect('{"a":1}\n[1]\n2\n', jsonl);
    expect(t.rejected.map((r) => r.reason)).toEqual(['expected a JSON object, found an array', 'expected a JSON object, found number']);
  });

  test('blank lines are skipped and CRLF ends are accepted', async () => {
    const t = await collect('{"a":1}\r\n\r\n{"a":2}\r\n', jsonl, 3);
    expect(t.rows.map((r) => [r.line, r.raw])).toEqual([[1, '{"a":1}'], [3, '{"a":2}']]);
  });

  test('nested values are kept as JSON text and booleans as true/false', async () => {
    const t = await collect('{"a":{"x":[1]},"b":true}\n', jsonl);
    expect(t.rows[0].cells).toEqual(['{"x":[1]}', 'true']);
  });

  test('an empty object throws EmptyObjectError', async () => {
    await expect(collect('\n\n', jsonl)).rejects.toBeInstanceOf(EmptyObjectError);
  });

  test('invalid UTF-8 throws NotUtf8Error naming the line', async () => {
    await expect(
      collect(Buffer.concat([Buffer.from('{"a":1}\n{"a":"'), Buffer.from([0xc3]), Buffer.from('"}\n')]), jsonl),
    ).rejects.toMatchObject({ line: 2, code: 'NOT_UTF8' });
    await expect(collect(Buffer.from([0x7b, 0xff, 0x7d]), jsonl)).rejects.toBeInstanceOf(NotUtf8Error);
  });

  test('a line longer than maxLineBytes throws LineTooLongError', async () => {
    await expect(collect(`{"a":"${'x'.repeat(500)}"}\n`, { ...jsonl, maxLineBytes: 100 }, 10)).rejects.toBeInstanceOf(LineTooLongError);
  });
});
