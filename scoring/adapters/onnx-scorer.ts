import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { Manifest } from '../../core/manifest';
import { ModelArtifactError } from '../../storage/errors';
import { checkOnnxContract } from './onnx-contract';
import { unloadable } from './onnx-decoder';
import { scorerInputShape, type BatchScorer, type ScorerOutput, type ScorerOutputs } from '../batch-scorer';

export interface OnnxScorerOptions {
  /** Threads for one session.run (onnxruntime's intra-op pool). Default 1: Lambda bills per core. */
  threads?: number;
}

/** Opens the model's ONNX bytes in an onnxruntime-node session that implements the scoring-head contract. */
export async function createOnnxScorer(onnx: Uint8Array, manifest: Manifest, options: OnnxScorerOptions = {}): Promise<OnnxBatchScorer> {
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(onnx, {
      intraOpNumThreads: options.threads ?? 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch (cause) {
    // onnxruntime's own text ("protobuf parsing failed") does not say which file; this does
    throw new ModelArtifactError(unloadable(manifest.onnx.file, onnx), { cause });
  }
  try {
    checkOnnxContract(session, manifest);
  } catch (err) {
    await session.release();
    throw err;
  }
  const onnxName: Record<ScorerOutput, string> = {
    reconstruction: 'reconstruction',
    score: 'score',
    featureError: 'feature_error',
    latent: 'latent',
    reconstructionStd: 'reconstruction_std',
  };
  const available = (Object.keys(onnxName) as ScorerOutput[]).filter((o) => session.outputNames.includes(onnxName[o]));
  const f = manifest.features.length;
  const t = manifest.window?.size ?? 1;
  const shape = scorerInputShape(manifest);
  const dims = (n: number) => (shape === 'segment' ? [1, n + t - 1, f] : shape === 'windows' ? [n, t, f] : [n, f]);

  const scorer: OnnxBatchScorer = {
    onnx,
    inputShape: shape,
    async run(x: Float32Array, mask: Float32Array, batch: number, fetch: readonly ScorerOutput[] = available): Promise<ScorerOutputs> {
      const wanted = fetch.filter((o) => available.includes(o));
      // fetch only what the mode reads: no output tensor is created or copied for the rest (onnxruntime still runs
      // every node of the graph, measured: a reconstruction nobody fetches is computed all the same)
      const out = await session.run(
        { x: new Tensor('float32', x, dims(batch)), mask: new Tensor('float32', mask, dims(batch)) },
        wanted.map((o) => onnxName[o]),
      );
      const result: ScorerOutputs = {};
      for (const o of wanted) result[o] = out[onnxName[o]]!.data as Float32Array;
      return result;
    },
    release: () => session.release(),
  };
  return scorer;
}

/** An onnxruntime scorer keeps its model's bytes, so worker threads can open sessions of their own (scoring/parallel). */
export interface OnnxBatchScorer extends BatchScorer {
  readonly onnx: Uint8Array;
}
