import { InputError } from '../errors';
import type { TableChunk, TableRow } from '../io';

export interface RowWithColumns {
  row: TableRow;
  columns: readonly string[];
}

/** The rows of a chunk stream one at a time; rows the reader rejected are reported to `onRejected`. */
export async function* rowsOf(
  chunks: AsyncIterable<TableChunk>,
  onRejected?: (line: number, reason: string) => void,
): AsyncGenerator<RowWithColumns> {
  for await (const chunk of chunks) {
    for (const rej of chunk.rejected) onRejected?.(rej.line, rej.reason);
    for (const row of chunk.rows) yield { row, columns: chunk.columns };
  }
}

/**
 * Pairs the rows of several tables by position (row i of each). A rejected row in any table, or tables
 * of different lengths, would shift the pairing silently, so both are errors that name the file and line.
 */
export async function* alignedRows(
  tables: readonly { name: string; chunks: AsyncIterable<TableChunk> }[],
): AsyncGenerator<RowWithColumns[]> {
  const refuse = (name: string) => (line: number) => {
    throw new InputError(`${name}: line ${line} could not be read, so rows cannot be paired by position with the other file(s)`);
  };
  const its = tables.map((t) => rowsOf(t.chunks, refuse(t.name))[Symbol.asyncIterator]());
  let count = 0;
  try {
    for (;;) {
      const next = await Promise.all(its.map((it) => it.next()));
      const ended = next.map((r, i) => (r.done ? tables[i]!.name : null)).filter((n): n is string => n !== null);
      if (ended.length === tables.length) return;
      if (ended.length) {
        const others = tables.length - ended.length;
        const what = `${ended.join(', ')} ended after ${count} rows but ${others} other file(s) go on`;
        throw new InputError(`${what}; rows are paired by position`);
      }
      count++;
      yield next.map((r) => r.value as RowWithColumns);
    }
  } finally {
    await Promise.allSettled(its.map((it) => it.return?.(undefined)));
  }
}
