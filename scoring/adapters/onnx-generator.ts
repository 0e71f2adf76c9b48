import { InferenceSession, Tensor } from 'onnxruntime-node';
import { ModelArtifactError } from '../../storage/errors';
import { unloadable } from './onnx-decoder';

/** Runs a gan generator: z [n × noise] (and cond [n × condDim]) → model-space rows [n × dim]. */
export type GenerateFn = (z: Float32Array, cond: Float32Array, n: number) => Promise<Float32Array>;

/**
 * Opens a gan's generator ONNX (inputs `z` and, when the data has discrete columns, `cond`) on onnxruntime.
 * The sizes are checked against what the manifest says before any row is drawn.
 */
export async function createOnnxGenerator(
  onnx: Uint8Array,
  file: string,
  sizes: { noise: number; cond: number; dim: number },
): Promise<GenerateFn> {
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(onnx, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  } catch (cause) {
    throw new ModelArtifactError(unloadable(file, onnx), { cause });
  }
  const want = sizes.cond > 0 ? ['z', 'cond'] : ['z'];
  if (want.some((n) => !session.inputNames.includes(n)) || session.inputNames.length !== want.length || session.outputNames.length < 1) {
    throw new ModelArtifactError(`${file} must have inputs [${want.join(', ')}], has [${session.inputNames.join(', ')}]`);
  }
  const output = session.outputNames[0]!;
  return async (z, cond, n) => {
    const feeds: Record<string, Tensor> = { z: new Tensor('float32', z, [n, sizes.noise]) };
    if (sizes.cond > 0) feeds['cond'] = new Tensor('float32', cond, [n, sizes.cond]);
    const out = (await session.run(feeds))[output]!.data as Float32Array;
    if (out.length !== n * sizes.dim) {
      throw new ModelArtifactError(`${file} returned ${out.length} values for ${n} rows, expected ${n * sizes.dim}`);
    }
    return out;
  };
}
