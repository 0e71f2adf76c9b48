import { InferenceSession, Tensor } from 'onnxruntime-node';
import { ModelArtifactError } from '../../storage/errors';
import { DECODER_FILE } from '../../storage/artifact/layout';

/** Opens a generator/decoder ONNX model (one input [N, K] → one output [N, F]) as a decode function. */
export type Decode = (z: Float32Array, rows: number, latent: number) => Promise<Float32Array>;

export async function createOnnxDecoder(onnx: Uint8Array, file = DECODER_FILE): Promise<Decode> {
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(onnx, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  } catch (cause) {
    throw new ModelArtifactError(unloadable(file, onnx), { cause });
  }
  if (session.inputNames.length !== 1 || session.outputNames.length < 1) {
    const names = `inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}]`;
    throw new ModelArtifactError(`decoder model must have one input and an output, has ${names}`);
  }
  const [input] = session.inputNames;
  const [output] = session.outputNames;
  return async (z, rows, latent) =>
    (await session.run({ [input!]: new Tensor('float32', z, [rows, latent]) }))[output!]!.data as Float32Array;
}

/** The message for ONNX bytes onnxruntime cannot open: names the file, not onnxruntime's own text. */
export const unloadable = (file: string, onnx: Uint8Array) =>
  `${file} is not a loadable ONNX model (${onnx.byteLength} bytes: truncated or not ONNX)`;
