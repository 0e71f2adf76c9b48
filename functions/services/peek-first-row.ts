import type { TableChunk, TableRow } from '../../core/io';

/**
 * Reads a table's chunks up to its first row (the series-state decision needs that row's time before
 * scoring starts) and gives back an iterable that yields every chunk from the start, the peeked ones included.
 * At most the chunks before the first row (all-rejected or empty ones) and the one holding it are buffered.
 */
export async function peekFirstRow(
  chunks: AsyncIterable<TableChunk>,
): Promise<{ first: { columns: string[]; row: TableRow } | null; chunks: AsyncIterable<TableChunk> }> {
  const it = chunks[Symbol.asyncIterator]();
  const buffered: TableChunk[] = [];
  let first: { columns: string[]; row: TableRow } | null = null;
  let done = false;
  while (first === null) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    buffered.push(next.value);
    if (next.value.rows.length > 0) first = { columns: next.value.columns, row: next.value.rows[0]! };
  }
  const replay = (async function* () {
    try {
      yield* buffered.splice(0);
      if (done) return;
      for (;;) {
        const next = await it.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      // a consumer that stops early (an error) releases the source too
      if (!done) await it.return?.();
    }
  })();
  return { first, chunks: replay };
}
