import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BatchScorer, ScorerOutputs } from '../batch-scorer';
import { bundledWorker } from './worker-bundle-cache';
import type { CsvPiece } from './csv-pieces';
import type { FromWorker, ToWorker } from './messages';
import type { PieceResult, PieceSetup } from './score-piece';

interface Slot {
  worker: Worker;
  alive: boolean;
  pending: Map<number, { resolve(r: PieceResult): void; reject(e: Error): void }>;
}

/** The worker's entry beside this file: worker-main.ts under tsx or jest, worker-main.js once compiled. */
export function workerEntry(): string | null {
  const entry = join(__dirname, `worker-main${extname(__filename)}`);
  return existsSync(entry) ? entry : null;
}

function spawn(entry: string): Worker {
  if (entry.endsWith('.ts')) {
    // sources (the CLI under tsx, jest): the worker's modules bundled into one file, cached; else tsx's loader
    const bundle = bundledWorker(entry, ['onnxruntime-node', 'onnxruntime-common']);
    if (bundle) return new Worker(bundle);
    // TypeScript sources (the CLI runs through tsx): the worker registers tsx's loader first
    // (an eval worker resolves modules from the working directory: both paths are absolute)
    const code = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(entry)});`;
    return new Worker(code, { eval: true });
  }
  return new Worker(entry);
}

/**
 * Worker threads that score CSV pieces, kept for the life of the process (a worker loads core/io, the manifest
 * schema and the writers once: about a second on a busy machine), idle ones not holding the process open. Their
 * model runs come back to the run's scorer here. A piece whose worker failed or died is rejected; the caller
 * decides what follows.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly scorers = new Map<number, BatchScorer>();
  private nextId = 0;
  private nextRun = 0;

  constructor(readonly threads: number, entry: string) {
    for (let i = 0; i < threads; i++) this.slots.push(this.start(entry));
  }

  get healthy(): boolean {
    return this.slots.every((s) => s.alive);
  }

  /** Opens a scoring run: its setup goes to every worker, its model runs to `scorer`. */
  open(setup: PieceSetup, scorer: BatchScorer): number {
    const run = this.nextRun++;
    this.scorers.set(run, scorer);
    for (const s of this.slots) if (s.alive) s.worker.postMessage({ kind: 'setup', run, setup } satisfies ToWorker);
    return run;
  }

  finish(run: number): void {
    this.scorers.delete(run);
    for (const s of this.slots) if (s.alive) s.worker.postMessage({ kind: 'forget', run } satisfies ToWorker);
  }

  score(run: number, piece: CsvPiece): Promise<PieceResult> {
    const live = this.slots.filter((s) => s.alive);
    if (live.length === 0) return Promise.reject(new PieceFailedError(piece));
    const slot = live.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    return new Promise<PieceResult>((resolve, reject) => {
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, { resolve, reject });
      // the piece's bytes move to the worker (no copy); a worker that fails on a piece hands them back
      slot.worker.postMessage({ kind: 'piece', run, id, piece } satisfies ToWorker, [piece.bytes.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private start(entry: string): Slot {
    const slot: Slot = { worker: spawn(entry), alive: true, pending: new Map() };
    const lost = () => {
      slot.alive = false;
      for (const p of slot.pending.values()) p.reject(new Error('a scoring worker stopped'));
      slot.pending.clear();
    };
    slot.worker.on('error', lost);
    slot.worker.on('exit', lost);
    slot.worker.on('message', (msg: FromWorker) => this.onMessage(slot, msg));
    slot.worker.unref();
    return slot;
  }

  private onMessage(slot: Slot, msg: FromWorker): void {
    if (msg.kind === 'run') {
      const scorer = this.scorers.get(msg.run);
      const reply = (outputs?: ScorerOutputs, transfer: ArrayBuffer[] = []) => {
        if (slot.alive) slot.worker.postMessage({ kind: 'ran', call: msg.call, outputs } satisfies ToWorker, transfer);
      };
      if (!scorer) return reply();
      scorer.run(msg.x, msg.mask, msg.batch, msg.fetch).then((out) => {
        const outputs: ScorerOutputs = {};
        const transfer: ArrayBuffer[] = [];
        for (const [name, data] of Object.entries(out) as [keyof ScorerOutputs, Float32Array | undefined][]) {
          if (data === undefined) continue;
          const own = data.slice();
          outputs[name] = own;
          transfer.push(own.buffer);
        }
        reply(outputs, transfer);
      }, () => reply());
      return;
    }
    const pending = slot.pending.get(msg.id);
    if (!pending) return;
    slot.pending.delete(msg.id);
    if (slot.pending.size === 0) slot.worker.unref();
    if (msg.kind === 'done') {
      piecesScored++;
      pending.resolve(msg.result);
    }
    else pending.reject(new PieceFailedError(msg.piece));
  }
}

/** A worker could not score a piece; `piece` is its bytes, back in this thread, where known. */
export class PieceFailedError extends Error {
  constructor(readonly piece?: CsvPiece) {
    super('a scoring worker failed on a piece');
    this.name = 'PieceFailedError';
  }
}

let shared: WorkerPool | null = null;
let piecesScored = 0;

/** Pieces this process's workers have scored (for a caller that must know the workers served, e.g. the Lambda's tests). */
export function workerPiecesScored(): number {
  return piecesScored;
}

/**
 * The process's pool of `threads` workers, started on first use (or by a caller that knows it will score soon,
 * so the workers load while it does other work); null where the worker's code is not beside this module.
 */
export function scoringWorkers(threads: number): WorkerPool | null {
  const entry = workerEntry();
  if (entry === null) return null;
  if (shared && shared.threads === threads && shared.healthy) return shared;
  void shared?.close();
  shared = new WorkerPool(threads, entry);
  return shared;
}

/** Stops the process's workers (tests; a process that ends does not need it). */
export async function closeScoringWorkers(): Promise<void> {
  const pool = shared;
  shared = null;
  await pool?.close();
}
