import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { ResidualError } from '../../core/errors';
import { extractFeatures, readParquetTable, readTable, type TableChunk, type TableFormat } from '../../core/io';
import { bufferSource, writeParquet } from './io-helpers';

const CANARY = '31337.4242';
const RUNS = Number(process.env.IO_FUZZ_RUNS ?? 200);
const TIME_LIMIT_MS = 8000;

const CSV = `a,b,s\n1,2,x\n${CANARY},-3.5e2,"q,""${CANARY}"""\n,,\n4;5,6,7\n1e39,2,\n`;
const JSONL = `{"a":1,"b":2,"s":"x"}\n{"a":${CANARY},"b":"${CANARY}"}\n[1]\n{"a":1e999}\n\n{"b":null,"a":"NaN"}\n`;
const PARQUET = writeParquet([
  { name: 'a', data: Float64Array.from([1, Number(CANARY), NaN, 4]), type: 'DOUBLE' },
  { name: 's', data: ['x', CANARY, null, 'y'], type: 'STRING' },
], { rowGroupSize: 2 });

interface Outcome { rowsIn: number; kept: number; rejected: number; messages: string[]; columns: string[]; error?: unknown }

/** Reads every chunk and extracts features of every column, as scoring does; never longer than 2 s. */
async function run(chunks: () => AsyncIterable<TableChunk>): Promise<Outcome> {
  const out: Outcome = { rowsIn: 0, kept: 0, rejected: 0, messages: [], columns: [] };
  const work = (async () => {
    try {
      for await (const chunk of chunks()) {
        out.columns = chunk.columns;
        const batch = extractFeatures(chunk, chunk.columns.map((_, j) => j));
        out.rowsIn += chunk.rows.length + chunk.rejected.length;
        out.kept += batch.keep.length;
        out.rejected += batch.rejected.length + chunk.rejected.length;
        out.messages.push(...chunk.rejected.map((r) => r.reason), ...batch.rejected.map((r) => r.reason));
      }
    } catch (error) {
      out.error = error;
      out.messages.push(String((error as Error)?.message));
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => { timer = setTimeout(() => resolve('hang'), 2000); });
  const result = await Promise.race([work.then(() => 'done' as const), hang]);
  clearTimeout(timer);
  expect(result).toBe('done');
  return out;
}

function check(out: Outcome): void {
  if (out.error !== undefined) expect(out.error).toBeInstanceOf(ResidualError);
  expect(out.rowsIn).toBe(out.kept + out.rejected);
  // a message may name a column, and a mutation that cuts the header's line feed makes a data row part of the header:
  // the canary is then a column's name (schema, not data), which a message may quote
  const names = [...out.columns].sort((a, b) => b.length - a.length);
  for (const m of out.messages) expect(names.reduce((text, c) => (c ? text.split(c).join('') : text), m)).not.toContain(CANARY);
}

/** Valid bytes with random bytes replaced, a random stretch cut out or the tail cut off. */
function mutated(base: Uint8Array): fc.Arbitrary<Uint8Array> {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(base.length - 1), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat(base.length - 1), len: fc.integer({ min: 1, max: 16 }) }),
    fc.record({ kind: fc.constant('end' as const), at: fc.nat(base.length - 1) }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => {
    let b = Uint8Array.from(base);
    for (const e of edits) {
      const at = Math.min(e.at, Math.max(0, b.length - 1));
      if (e.kind === 'set') b[at] = e.byte;
      else if (e.kind === 'cut') b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + e.len)]);
      else b = b.slice(0, at);
    }
    return b;
  });
}

const bytesOrMutated = (base: Uint8Array) => fc.oneof(fc.uint8Array({ maxLength: 400 }), mutated(base));
const stream = (bytes: Uint8Array, format: TableFormat, gzip = false) => () =>
  readTable((async function* () { yield bytes; })(), { format, gzip, maxLineBytes: 4096 });
const settings = { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS };

describe('fuzzed readers: only residual errors, no hang, every row accounted for, no data in messages', () => {
  test('CSV reader on random bytes and mutated CSV', async () => {
    await fc.assert(fc.asyncProperty(bytesOrMutated(Buffer.from(CSV)), async (b) => check(await run(stream(b, 'csv')))), settings);
  });

  test('gzip CSV reader on mutated gzip', async () => {
    await fc.assert(fc.asyncProperty(mutated(gzipSync(CSV)), async (b) => check(await run(stream(b, 'csv', true)))), settings);
  });

  test('JSONL reader on random bytes and mutated JSONL', async () => {
    await fc.assert(fc.asyncProperty(bytesOrMutated(Buffer.from(JSONL)), async (b) => check(await run(stream(b, 'jsonl')))), settings);
  });

  test('parquet reader on random bytes and mutated parquet', async () => {
    const read = (b: Uint8Array) => () => readParquetTable(bufferSource(b));
    await fc.assert(fc.asyncProperty(bytesOrMutated(PARQUET), async (b) => check(await run(read(b)))), settings);
  });

  test('the unmutated files read with every row accounted for', async () => {
    const csv = await run(stream(Buffer.from(CSV), 'csv'));
    check(csv);
    expect([csv.kept, csv.rejected]).toEqual([1, 4]);
    const parquet = await run(() => readParquetTable(bufferSource(PARQUET)));
    check(parquet);
    expect([parquet.kept, parquet.rejected]).toEqual([2, 2]);
  });
});
