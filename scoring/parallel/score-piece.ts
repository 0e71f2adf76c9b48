import { CsvScanner } from '../../core/io/csv-scanner';
import { NotUtf8Error } from '../../core/io/errors';
import { firstInvalidUtf8, isValidUtf8 } from '../../core/io/utf8';
import { DEFAULT_CHUNK_ROWS, DEFAULT_MAX_LINE_BYTES, type CsvDelimiter, type TableChunk, type TableFormat } from '../../core/io/table';
import type { Manifest } from '../../core/manifest';
import type { BatchScorer } from '../batch-scorer';
import { createOutputEncoder } from '../output-encoder';
import { emptyStats, extraColumnsFor, scoreTable, type ScoreMode, type ScoreStats } from '../score-table';
import { resolveFeatureColumns } from '../../core/manifest';
import { countLf, type CsvPiece } from './csv-pieces';
import type { DriftCounts } from '../../core/drift';
import { driftCollector } from '../drift-collector';

/** What every piece of one scoring run shares (sent once to each worker). */
export interface PieceSetup {
  manifest: Manifest;
  mode: ScoreMode;
  topK?: number;
  outputFormat: TableFormat;
  /** the header's exact bytes, as csvPieces found them */
  head: Uint8Array;
  delimiter: CsvDelimiter;
  maxLineBytes?: number;
  /** the model's ONNX bytes: each worker opens its own onnxruntime session (1 thread); else its runs go to the parent */
  onnx?: Uint8Array;
}

export interface PieceResult {
  /** the piece's scored rows, encoded (no header: the caller writes it once) */
  bytes: Uint8Array;
  /** `<output>.errors.ndjson` lines for the piece's rejected rows, in line order */
  rejections: string;
  stats: ScoreStats;
  /** drift counts of the piece's rows (detect mode), added up by the main thread */
  drift: DriftCounts | null;
}

/**
 * Scores one piece of a CSV input exactly as the one-thread path scores those rows: core/io's scanner (primed
 * with the header, then set to the piece's first line), scoreTable and the output encoder. Runs in a worker
 * thread, or in the main thread to reproduce a worker's error with its own class.
 */
export async function scorePiece(setup: PieceSetup, piece: CsvPiece, scorer: BatchScorer): Promise<PieceResult> {
  const buf = Buffer.from(piece.bytes.buffer, piece.bytes.byteOffset, piece.bytes.byteLength);
  if (!isValidUtf8(buf, 0, buf.length)) {
    const bad = firstInvalidUtf8(buf, 0, buf.length);
    throw new NotUtf8Error(piece.line + countLf(buf, 0, bad), piece.offset + bad);
  }
  const scanner = new CsvScanner(DEFAULT_CHUNK_ROWS, setup.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, setup.delimiter);
  const head = Buffer.from(setup.head.buffer, setup.head.byteOffset, setup.head.byteLength);
  scanner.scan(head, 0, false);
  scanner.line = piece.line;
  scanner.scan(buf, 0, piece.complete);
  const chunks: TableChunk[] = scanner.ready.splice(0);

  const stats = emptyStats();
  let rejections = '';
  const onRejected = (rej: { line: number; reason: string }) => {
    rejections += JSON.stringify({ line: rej.line, reason: rej.reason }) + '\n';
  };
  const encoder = createOutputEncoder(setup.outputFormat, 'csv', setup.delimiter);
  const columns = scanner.columns!;
  // the first call writes the header, which the caller writes once for the whole output
  const featureColumns = resolveFeatureColumns(setup.manifest, columns);
  const extraColumns = extraColumnsFor(setup.mode, setup.manifest);
  encoder.batch({ columns, delimiter: setup.delimiter, featureColumns, extraColumns, rows: [] });
  const parts: Uint8Array[] = [];
  let size = 0;
  const model = { manifest: setup.manifest, scorer };
  const drift = driftCollector(setup.manifest, setup.mode);
  for await (const batch of scoreTable(fromArray(chunks), model, { mode: setup.mode, topK: setup.topK, onRejected }, stats)) {
    const out = encoder.batch(batch);
    drift?.push(batch);
    const bytes = typeof out === 'string' ? Buffer.from(out) : out;
    parts.push(bytes);
    size += bytes.length;
  }
  return { bytes: ownBuffer(parts, size), rejections, stats, drift: drift?.counts() ?? null };
}

/**
 * The parts as one buffer of its own, so it can be transferred without touching Node's shared Buffer pool. A piece is
 * usually one chunk, encoded into a buffer that is already its own (the writer allocates one of ≥ 1 MiB outside the pool,
 * whose slabs are Buffer.poolSize): that one moves as it is, without a copy.
 */
function ownBuffer(parts: Uint8Array[], size: number): Uint8Array {
  const only = parts.length === 1 ? parts[0]! : null;
  const large = only !== null && only.buffer.byteLength >= 1 << 20 && only.buffer.byteLength > Buffer.poolSize;
  if (large && only.byteOffset === 0 && !(only.buffer instanceof SharedArrayBuffer)) {
    return only;
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return bytes;
}

async function* fromArray<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}
