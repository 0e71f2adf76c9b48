import { EmptyObjectError, HeaderError, LineTooLongError, NotUtf8Error } from '../../../core/io';
import { collect } from './helpers';

describe('readTable csv', () => {
  test('quoted fields keep delimiters and turn "" into "', async () => {
    const t = await collect('a,b\n"x,1","say ""hi"""\n');
    expect(t.rows[0].cells).toEqual(['x,1', 'say "hi"']);
  });

  test('a newline inside quotes belongs to the field and the next record starts on the following physical line', async () => {
    const t = await collect('a,b\n"line1\nline2",2\n3,4\n');
    expect(t.rows.map((r) => [r.line, r.cells])).toEqual([[2, ['line1\nline2', '2']], [4, ['3', '4']]]);
  });

  test('CRLF line ends are not part of the last cell or of raw', async () => {
    const t = await collect('a,b\r\n1,2\r\n"3",4\r\n');
    expect(t.rows.map((r) => [r.cells, r.raw])).toEqual([[['1', '2'], '1,2'], [['3', '4'], '"3",4']]);
  });

  test('a UTF-8 BOM is not part of the first column name', async () => {
    const t = await collect('\ufeffid,v\n1,2\n');
    expect(t.columns).toEqual(['id', 'v']);
  });

  test('the delimiter is sniffed from the header: semicolon', async () => {
    const t = await collect('a;b;c\n1,5;2;3\n');
    expect([t.chunks[0].delimiter, t.rows[0].cells]).toEqual([';', ['1,5', '2', '3']]);
  });

  test('the delimiter is sniffed from the header: tab', async () => {
    const t = await collect('a\tb\n1\t2\n');
    expect([t.chunks[0].delimiter, t.rows[0].cells]).toEqual(['\t', ['1', '2']]);
  });

  test('a header without any candidate delimiter is one comma-separated column', async () => {
    const t = await collect('value\n1\n\n2\n');
    expect([t.chunks[0].delimiter, t.rows.map((r) => r.cells)]).toEqual([',', [['1'], [null], ['2']]]);
  });

  test('raw is the exact record text, quotes and spaces included', async () => {
    const t = await collect('a,b\n "x" ,"y"""\n');
    expect(t.rows[0].raw).toBe(' "x" ,"y"""');
  });

  test('empty fields, NaN, nan and null are missing cells', async () => {
    const t = await collect('a,b,c,d,e\n,NaN,nan,null,""\n');
    expect(t.rows[0].cells).toEqual([null, null, null, null, null]);
  });

  test('a row with the wrong field count is rejected with its line and the other rows continue', async () => {
    const t = await collect('a,b\n1,2\n3\n4,5,6\n7,8\n');
    expect([t.rows.map((r) => r.line), t.rejected]).toEqual([
      [2, 5],
      [{ line: 3, reason: 'expected 2 fields, found 1' }, { line: 4, reason: 'expected 2 fields, found 3' }],
    ]);
  });

  test('an unterminated quote at the end of the input rejects that record only', async () => {
    const t = await collect('a,b\n1,2\n3,"open\n4,5\n');
    expect([t.rows.map((r) => r.cells), t.rejected]).toEqual([
      [['1', '2']],
      [{ line: 3, reason: 'unterminated quoted field starting on line 3' }],
    ]);
  });

  test('text after a closing quote rejects the record', async () => {
    const t = await collect('a,b\n"x"y,1\n2,3\n');
    expect([t.rows.length, t.rejected[0].line]).toEqual([1, 2]);
  });

  test('blank lines between rows of a multi-column table are skipped', async () => {
    const t = await collect('a,b\n1,2\n\n\r\n3,4\n');
    expect(t.rows.map((r) => r.line)).toEqual([2, 5]);
  });

  test('rows are yielded in chunks of chunkRows', async () => {
    const t = await collect('a\n1\n2\n3\n4\n5\n', { chunkRows: 2 });
    expect(t.chunks.map((c) => c.rows.length)).toEqual([2, 2, 1]);
  });

  test('a header without rows yields one chunk with the columns and no rows', async () => {
    const t = await collect('a,b\n');
    expect([t.chunks.length, t.columns, t.rows]).toEqual([1, ['a', 'b'], []]);
  });

  test('multi-byte characters split across input pieces decode intact', async () => {
    const t = await collect('名前,値\nÅngström,😀\n', {}, 1);
    expect([t.columns, t.rows[0].cells]).toEqual([['名前', '値'], ['Ångström', '😀']]);
  });

  test('invalid UTF-8 throws NotUtf8Error naming the line', async () => {
    const bytes = Buffer.concat([Buffer.from('a,b\n1,2\n3,'), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]);
    await expect(collect(bytes)).rejects.toMatchObject({ name: 'NotUtf8Error', code: 'NOT_UTF8', line: 3 });
  });

  test('a truncated multi-byte sequence at the end of the input is not UTF-8', async () => {
    await expect(collect(Buffer.concat([Buffer.from('a\nx'), Buffer.from([0xe2, 0x82])]))).rejects.toBeInstanceOf(NotUtf8Error);
  });

  test('a line longer than maxLineBytes throws LineTooLongError', async () => {
    await expect(collect(`a\n1\n${'9'.repeat(200)}\n`, { maxLineBytes: 100 }, 7)).rejects.toMatchObject({ code: 'LINE_TOO_LONG', line: 3 });
  });

  test('an unterminated quote running past maxLineBytes throws LineTooLongError before the input ends', async () => {
    await expect(collect(`a\n"${'x\n'.repeat(100)}`, { maxLineBytes: 64 }, 16)).rejects.toBeInstanceOf(LineTooLongError);
  });

  test('an empty object throws EmptyObjectError', async () => {
    await expect(collect('')).rejects.toBeInstanceOf(EmptyObjectError);
  });

  test('an object with only a BOM and blank lines throws EmptyObjectError', async () => {
    await expect(collect('\ufeff\n \r\n\n')).rejects.toMatchObject({ code: 'EMPTY_OBJECT' });
  });

  test('a duplicate column name throws HeaderError naming both positions', async () => {
    await expect(collect('a,b,a\n1,2,3\n')).rejects.toThrow(new HeaderError('header columns 1 and 3 have the same name'));
  });

  test('an empty column name throws HeaderError naming its position', async () => {
    await expect(collect('a,,c\n1,2,3\n')).rejects.toThrow('header column 2 has an empty name');
  });
});
