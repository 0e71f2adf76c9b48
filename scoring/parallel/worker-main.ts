// Worker thread: scores CSV pieces (parse, features, row shaping, output encoding); the model runs in the parent.
import { parentPort } from 'node:worker_threads';
import { scorerInputShape, type BatchScorer, type ScorerOutput, type ScorerOutputs } from '../batch-scorer';
import { scorePiece, type PieceSetup } from './score-piece';
import type { FromWorker, ToWorker } from './messages';

const port = parentPort!;
const runs = new Map<number, { setup: PieceSetup; scorer: Promise<BatchScorer> }>();
const calls = new Map<number, { resolve(o: ScorerOutputs): void; reject(e: Error): void }>();
let nextCall = 0;

/** The parent's onnxruntime session for one scoring run, one batch per message (inputs transferred, outputs too). */
function remoteScorer(run: number, setup: PieceSetup): BatchScorer {
  return {
    inputShape: scorerInputShape(setup.manifest),
    run(x: Float32Array, mask: Float32Array, batch: number, fetch?: readonly ScorerOutput[]): Promise<ScorerOutputs> {
      const call = nextCall++;
      const xs = x.slice();
      const ms = mask.slice();
      const msg: FromWorker = { kind: 'run', run, call, x: xs, mask: ms, batch, fetch: fetch ? [...fetch] : undefined };
      port.postMessage(msg, [xs.buffer, ms.buffer]);
      return new Promise((resolve, reject) => calls.set(call, { resolve, reject }));
    },
    release: async () => undefined,
  };
}

async function ownSession(onnx: Uint8Array, manifest: PieceSetup['manifest']): Promise<BatchScorer> {
  // loaded on first use: a worker whose runs go to the parent never loads onnxruntime
  const { createOnnxScorer } = require('../adapters/onnx-scorer') as typeof import('../adapters/onnx-scorer');
  return createOnnxScorer(onnx, manifest, { threads: 1 });
}

port.on('message', (msg: ToWorker) => {
  switch (msg.kind) {
    case 'setup': {
      const { onnx, manifest } = msg.setup;
      // a session of its own (sessionsInWorkers) saves two messages and copies per batch, but costs more CPU in all
      const scorer = onnx ? ownSession(onnx, manifest) : Promise.resolve(remoteScorer(msg.run, msg.setup));
      scorer.catch(() => undefined);
      runs.set(msg.run, { setup: msg.setup, scorer });
      return;
    }
    case 'forget':
      void runs.get(msg.run)?.scorer.then((s) => s.release(), () => undefined);
      runs.delete(msg.run);
      return;
    case 'ran': {
      const pending = calls.get(msg.call)!;
      calls.delete(msg.call);
      if (msg.outputs) pending.resolve(msg.outputs);
      else pending.reject(new Error('model run failed in the parent'));
      return;
    }
    case 'piece': {
      const run = runs.get(msg.run);
      if (!run) {
        port.postMessage({ kind: 'failed', id: msg.id } satisfies FromWorker);
        return;
      }
      run.scorer.then((scorer) => scorePiece(run.setup, msg.piece, scorer)).then(
        (result) => port.postMessage({ kind: 'done', id: msg.id, result } satisfies FromWorker, [result.bytes.buffer as ArrayBuffer]),
        // the parent scores the piece again itself, which raises the error with its own class and fields
        () => {
          const failed: FromWorker = { kind: 'failed', id: msg.id, piece: msg.piece };
          port.postMessage(failed, [msg.piece.bytes.buffer as ArrayBuffer]);
        },
      );
    }
  }
});
