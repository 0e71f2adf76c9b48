import { readTable, type ReadOptions, type RowRejection, type TableChunk } from '../../../core/io';

/** The bytes as an async source, cut into pieces of `piece` bytes (or at the given offsets). */
export async function* source(data: string | Uint8Array, cut: number | number[] = 1 << 20): AsyncGenerator<Uint8Array> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  const points = typeof cut === 'number' ? [] : [...new Set(cut)].filter((p) => p > 0 && p < bytes.length).sort((a, b) => a - b);
  if (typeof cut === 'number') for (let i = cut; i < bytes.length; i += cut) points.push(i);
  let at = 0;
  for (const p of [...points, bytes.length]) {
    yield bytes.subarray(at, p);
    at = p;
  }
}

export interface Collected {
  columns: string[];
  rows: { line: number; cells: (string | null)[]; raw?: string }[];
  rejected: RowRejection[];
  chunks: TableChunk[];
}

export async function collect(data: string | Uint8Array, options: Partial<ReadOptions> = {}, cut?: number | number[]): Promise<Collected> {
  const out: Collected = { columns: [], rows: [], rejected: [], chunks: [] };
  // With explicit cuts every piece is parsed as it arrives, so record boundaries fall anywhere.
  const batchBytes = cut === undefined ? undefined : 1;
  for await (const chunk of readTable(source(data, cut), { format: 'csv', batchBytes, ...options })) {
    out.chunks.push(chunk);
    out.columns = chunk.columns;
    for (const r of chunk.rows) out.rows.push({ line: r.line, cells: [...r.cells], raw: r.raw });
    out.rejected.push(...chunk.rejected);
  }
  return out;
}
