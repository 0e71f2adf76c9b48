import type { ScorerOutput, ScorerOutputs } from '../batch-scorer';
import type { CsvPiece } from './csv-pieces';
import type { PieceResult, PieceSetup } from './score-piece';

/**
 * Parent → worker: what a scoring run's pieces share (once per run and worker), a piece to score, the end of a
 * run, or the outputs of a model run the worker asked for (none: it failed).
 */
export type ToWorker =
  | { kind: 'setup'; run: number; setup: PieceSetup }
  | { kind: 'piece'; run: number; id: number; piece: CsvPiece }
  | { kind: 'forget'; run: number }
  | { kind: 'ran'; call: number; outputs?: ScorerOutputs };

/** Worker → parent: a model run to do, a scored piece, or a piece that failed, handed back (the parent scores it again). */
export type FromWorker =
  | { kind: 'run'; run: number; call: number; x: Float32Array; mask: Float32Array; batch: number; fetch?: ScorerOutput[] }
  | { kind: 'done'; id: number; result: PieceResult }
  | { kind: 'failed'; id: number; piece?: CsvPiece };
