import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { Manifest } from '../../core/manifest';
import { ResidualError } from '../../core/errors';
import type { BatchScorer, ScorerOutputs } from '../services/ports';

export interface OnnxScorerOptions {
  /** Threads for one session.run (onnxruntime's intra-op pool). Default 1: Lambda bills per core. */
  threads?: number;
}

/** Opens the model's ONNX bytes in an onnxruntime-node session that implements the scoring-head contract. */
export async function createOnnxScorer(onnx: Uint8Array, manifest: Manifest, options: OnnxScorerOptions = {}): Promise<BatchScorer> {
  const session = await InferenceSession.create(onnx, {
    intraOpNumThreads: options.threads ?? 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  for (const name of ['x', 'mask']) {
    if (!session.inputNames.includes(name)) throw new ResidualError(`model '${manifest.name}' has no ONNX input '${name}' (inputs: ${session.inputNames.join(', ')})`);
  }
  for (const name of ['reconstruction', 'score', 'feature_error']) {
    if (!session.outputNames.includes(name)) throw new ResidualError(`model '${manifest.name}' has no ONNX output '${name}' (outputs: ${session.outputNames.join(', ')})`);
  }
  const hasLatent = session.outputNames.includes('latent');
  const f = manifest.features.length;
  const t = manifest.window?.size ?? 1;
  const dims = (n: number) => (manifest.layout === 'windows' ? [n, t, f] : [n, f]);

  return {
    inputShape: manifest.layout,
    async run(x: Float32Array, mask: Float32Array, batch: number): Promise<ScorerOutputs> {
      const out = await session.run({ x: new Tensor('float32', x, dims(batch)), mask: new Tensor('float32', mask, dims(batch)) });
      return {
        reconstruction: out.reconstruction!.data as Float32Array,
        score: out.score!.data as Float32Array,
        featureError: out.feature_error!.data as Float32Array,
        latent: hasLatent ? (out.latent!.data as Float32Array) : undefined,
      };
    },
    release: () => session.release(),
  };
}
