import fc from 'fast-check';
import { createTableWriter, readParquetTable, type TableRow } from '../../../core/io';
import { collect } from './helpers';

/** Cell text with the characters that stress a CSV parser: delimiters, quotes, CR, LF, non-ASCII. */
const cellText = fc.string({ unit: fc.constantFrom('a', '1', '.', '-', ',', ';', '"', '\n', '\r', ' ', 'é', '😀'), maxLength: 6 })
  .filter((s) => !['', 'NaN', 'nan', 'null'].includes(s));

const table = fc.integer({ min: 1, max: 4 }).chain((width) =>
  fc.record({
    columns: fc.uniqueArray(
      fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'x', '_', ' ', ','), minLength: 1, maxLength: 4 }).filter((s) => s.trim() !== ''),
      { minLength: width, maxLength: width },
    ),
    rows: fc.array(fc.array(fc.option(cellText, { nil: null }), { minLength: width, maxLength: width }), { maxLength: 12 }),
    delimiter: fc.constantFrom(',', ';', '\t'),
    crlf: fc.boolean(),
    quoteAll: fc.boolean(),
  }),
);

/** Writes a table as CSV by hand (optionally quoting every field), independently of the writer under test. */
function toCsv(t: { columns: string[]; rows: (string | null)[][]; delimiter: string; crlf: boolean; quoteAll: boolean }): string {
  const field = (v: string | null): string => {
    if (v === null) return '';
    return t.quoteAll || /[,;\t"\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
  };
  const eol = t.crlf ? '\r\n' : '\n';
  const header = t.columns.map((c) => `"${c.replaceAll('"', '""')}"`).join(t.delimiter);
  return [header, ...t.rows.map((r) => r.map(field).join(t.delimiter))].join(eol) + eol;
}

describe('chunk independence and round trips (property-based)', () => {
  test('rows are the same however the input bytes are cut into pieces', async () => {
    await fc.assert(fc.asyncProperty(table, fc.array(fc.nat(400), { maxLength: 8 }), async (t, cuts) => {
      const text = toCsv(t);
      const whole = await collect(text, { delimiter: t.delimiter as ',' });
      const pieces = await collect(text, { delimiter: t.delimiter as ',' }, cuts);
      expect(pieces.rows).toEqual(whole.rows);
      expect(pieces.rejected).toEqual(whole.rejected);
    }), { numRuns: 150 });
  });

  test('JSON Lines rows are the same however the input bytes are cut into pieces', async () => {
    const record = fc.dictionary(
      fc.constantFrom('a', 'b', 'é'),
      fc.oneof(cellText, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null)),
    );
    const line = fc.oneof({ weight: 8, arbitrary: record.map((r) => JSON.stringify(r)) }, fc.constantFrom('', '{bad', '[1]'));
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        fc.array(fc.nat(300), { maxLength: 8 }),
        async (lines, crlf, cuts) => {
          const text = lines.join(crlf ? '\r\n' : '\n') + '\n';
          if (lines.every((l) => l === '')) return;
          const whole = await collect(text, { format: 'jsonl' });
          const pieces = await collect(text, { format: 'jsonl' }, cuts);
          expect([pieces.columns, pieces.rows, pieces.rejected]).toEqual([whole.columns, whole.rows, whole.rejected]);
        },
      ),
      { numRuns: 150 },
    );
  });

  test('a generated CSV reads back as the cells it was written from', async () => {
    await fc.assert(fc.asyncProperty(table, async (t) => {
      const back = await collect(toCsv(t), { delimiter: t.delimiter as ',' }, 5);
      expect(back.columns).toEqual(t.columns);
      expect(back.rows.map((r) => r.cells)).toEqual(t.rows);
      expect(back.rejected).toEqual([]);
    }), { numRuns: 150 });
  });

  test('the CSV writer round-trips through the reader, raw pass-through included', async () => {
    await fc.assert(fc.asyncProperty(table, fc.array(fc.double({ noNaN: true }), { minLength: 12, maxLength: 12 }), async (t, scores) => {
      const first = await collect(toCsv(t), { delimiter: t.delimiter as ',' });
      const writer = createTableWriter('csv', [...t.columns, 'score'], { delimiter: t.delimiter as ',', sourceFormat: 'csv' });
      const rows = first.chunks.flatMap((c) => c.rows);
      const out = `${writer.header()}${writer.rows(rows.map((r: TableRow, i) => ({ source: r, values: [scores[i]] })))}`;
      const second = await collect(out, { delimiter: t.delimiter as ',' }, 7);
      expect(second.rows.map((r) => r.cells)).toEqual(rows.map((r, i) => [...r.cells, String(scores[i])]));
    }), { numRuns: 100 });
  });

  test('the parquet writer round-trips through the parquet reader', async () => {
    await fc.assert(fc.asyncProperty(table, fc.integer({ min: 1, max: 5 }), async (t, rowGroupSize) => {
      const writer = createTableWriter('parquet', t.columns, { rowGroupSize, parquetTypes: t.columns.map(() => 'STRING') });
      const bytes = Buffer.concat([writer.rows(t.rows.map((values) => ({ values }))) as Uint8Array, writer.end() as Uint8Array]);
      const file = {
        byteLength: bytes.length,
        slice: (s: number, e?: number) => bytes.buffer.slice(bytes.byteOffset + s, bytes.byteOffset + (e ?? bytes.length)),
      };
      const cells: (string | null)[][] = [];
      for await (const chunk of readParquetTable(file, { chunkRows: 3 })) {
        expect(chunk.columns).toEqual(t.columns);
        cells.push(...chunk.rows.map((r) => [...r.cells]));
      }
      expect(cells).toEqual(t.rows);
    }), { numRuns: 60 });
  });
});
