import { availableParallelism } from 'node:os';
import { byteBatches } from '../../core/io/byte-source';
import type { TableChunk, TableFormat } from '../../core/io/table';
import type { Manifest } from '../../core/manifest';
import type { OnnxBatchScorer } from '../adapters/onnx-scorer';
import type { BatchScorer, LoadedModel, ScorerOutput } from '../batch-scorer';
import { createOutputEncoder } from '../output-encoder';
import { scoreTable, type ScoreMode, type ScoreStats } from '../score-table';
import { csvPieces, type CsvHead, type CsvPiece } from './csv-pieces';
import { scorePiece, type PieceResult, type PieceSetup } from './score-piece';
import { PieceFailedError, scoringWorkers, workerEntry } from './worker-pool';
import type { DriftCounts } from '../../core/drift';

/** A CSV input's raw bytes, for scoring in worker threads. */
export interface ParallelInput {
  bytes: AsyncIterable<Uint8Array>;
  gzip?: boolean;
  maxDecompressedBytes?: number;
  /** worker threads; 1 scores in this thread. Default os.availableParallelism(). */
  threads?: number;
  /** bytes per piece handed to a worker (default 2 MiB), and per read batch (default 1 MiB) */
  pieceBytes?: number;
  batchBytes?: number;
  /**
   * true: each worker opens its own onnxruntime session of the model; default: the workers send their batches to this
   * thread's one session (two workers, 133 MB CSV: 0.93× the CPU of their own sessions, 8 pairs; BENCHMARKS.md)
   */
  sessionsInWorkers?: boolean;
  /** called as each piece is scored: by a worker, or again in this thread after a worker failed on it */
  onPiece?: (where: 'worker' | 'main') => void;
}

export interface EncodedPiece {
  bytes: string | Uint8Array;
  /** `<output>.errors.ndjson` lines */
  rejections: string;
  /** the piece's drift counts (detect mode) */
  drift?: DriftCounts | null;
}

export const defaultThreads = (): number => availableParallelism();

/**
 * Worker threads serve CSV in (plain or gzip) → CSV or JSON Lines out, for row models. Windowed models carry
 * rows across chunks and Parquet needs a footer from the whole output: those stay on the one-thread path.
 */
export function canScoreInWorkers(manifest: Manifest, inputFormat: TableFormat, outputFormat: TableFormat, threads: number): boolean {
  const formats = inputFormat === 'csv' && (outputFormat === 'csv' || outputFormat === 'jsonl');
  return threads > 1 && formats && manifest.layout === 'rows' && workerEntry() !== null;
}

export interface WorkerScoring {
  pieces: AsyncGenerator<EncodedPiece>;
  /** the encoder's closing bytes, once `pieces` is done */
  end(): string | Uint8Array;
}

/**
 * Scores a CSV input in `threads` worker threads: this thread cuts the bytes into pieces of whole records, runs
 * the model for every worker (one onnxruntime session, one run at a time) and hands back each piece's encoded
 * rows and rejections in input order. At most 2 pieces per worker are in flight, so memory stays bounded. The
 * output is byte for byte the one-thread path's: each piece is parsed, scored and encoded by the same code. A
 * piece that fails in a worker is scored again here, so its error is the one-thread path's own.
 */
export function scoreInWorkers(
  input: ParallelInput, model: LoadedModel, options: { mode: ScoreMode; topK?: number; outputFormat: TableFormat }, stats: ScoreStats,
): WorkerScoring {
  const threads = input.threads ?? defaultThreads();
  let encoder: ReturnType<typeof createOutputEncoder> | null = null;
  const queued = serialScorer(model.scorer, stats);
  async function* pieces(): AsyncGenerator<EncodedPiece> {
    // started (or found running) first, so the workers load while this thread reads the header
    const pool = scoringWorkers(threads)!;
    const { gzip, maxDecompressedBytes, batchBytes } = input;
    const batches = byteBatches(input.bytes, { gzip, maxDecompressedBytes, batchBytes });
    const source = csvPieces(batches, { pieceBytes: input.pieceBytes });
    const first = await source.next();
    const head = first.value as CsvHead;
    // the header and the checks scoreTable makes on it (feature columns, clashes), on an empty chunk in this thread
    const empty: TableChunk = { columns: head.columns, rows: [], rejected: [], delimiter: head.delimiter };
    encoder = createOutputEncoder(options.outputFormat, 'csv', head.delimiter);
    for await (const batch of scoreTable(one(empty), { manifest: model.manifest, scorer: queued }, options, stats)) {
      yield { bytes: encoder.batch(batch), rejections: '' };
    }
    const setup: PieceSetup = {
      manifest: model.manifest, mode: options.mode, topK: options.topK, outputFormat: options.outputFormat,
      head: head.bytes, delimiter: head.delimiter, onnx: input.sessionsInWorkers === true ? onnxOf(model.scorer) : undefined,
    };
    const run = pool.open(setup, queued);
    let stopped = false;
    const inFlight: Promise<PieceResult>[] = [];
    const submit = (piece: CsvPiece) => {
      const p = pool.score(run, piece).then(
        (r) => (input.onPiece?.('worker'), r),
        (err: unknown) => {
          // a piece the worker handed back is scored here, which raises its error with the one-thread path's class
          if (stopped || !(err instanceof PieceFailedError) || !err.piece) throw err;
          input.onPiece?.('main');
          return scorePiece(setup, err.piece, queued);
        },
      );
      p.catch(() => undefined);
      inFlight.push(p);
    };
    const emit = (r: PieceResult): EncodedPiece => {
      addStats(stats, r.stats);
      // the workers' own sessions: their model time (summed over workers); runs in this thread count themselves
      if (setup.onnx) stats.modelMs += r.stats.modelMs;
      return { bytes: r.bytes, rejections: r.rejections, drift: r.drift };
    };
    try {
      for await (const piece of source as AsyncGenerator<CsvPiece>) {
        submit(piece);
        while (inFlight.length >= 2 * threads) yield emit(await inFlight.shift()!);
      }
      while (inFlight.length) yield emit(await inFlight.shift()!);
    } finally {
      stopped = true;
      pool.finish(run);
    }
  }
  return { pieces: pieces(), end: () => encoder?.end() ?? '' };
}

/** The model for every worker: one run at a time on the session; counts the time in stats.modelMs. */
function serialScorer(scorer: BatchScorer, stats: ScoreStats): BatchScorer {
  let chain: Promise<unknown> = Promise.resolve();
  return {
    inputShape: scorer.inputShape,
    run(x: Float32Array, mask: Float32Array, batch: number, fetch?: readonly ScorerOutput[]) {
      const result = chain.then(async () => {
        const t0 = performance.now();
        try {
          return await scorer.run(x, mask, batch, fetch);
        } finally {
          stats.modelMs += performance.now() - t0;
        }
      });
      chain = result.catch(() => undefined);
      return result;
    },
    release: () => scorer.release(),
  };
}

function onnxOf(scorer: BatchScorer): Uint8Array | undefined {
  const onnx = (scorer as Partial<OnnxBatchScorer>).onnx;
  return onnx instanceof Uint8Array ? onnx : undefined;
}

function addStats(into: ScoreStats, s: ScoreStats): void {
  into.rowsIn += s.rowsIn;
  into.rowsOut += s.rowsOut;
  into.rowsRejected += s.rowsRejected;
  into.rowsUnscored += s.rowsUnscored;
  into.anomalies += s.anomalies;
  into.cellsImputed += s.cellsImputed;
  s.missingCells.forEach((n, j) => { into.missingCells[j] = (into.missingCells[j] ?? 0) + n; });
  for (const [reason, n] of Object.entries(s.rejectedReasons)) into.rejectedReasons[reason] = (into.rejectedReasons[reason] ?? 0) + n;
}

async function* one<T>(item: T): AsyncGenerator<T> {
  yield item;
}
