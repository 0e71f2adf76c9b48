import { createOnnxDecoder } from '../../scoring/adapters/onnx-decoder';
import { storeForUri } from '../../storage/adapters/store-for-uri';
import { runSampleCommand } from '../../training/sample-command';

/** `residual sample`: synthetic rows from a VAE's decoder.onnx (see training/sample-command.ts). */
export function runSample(argv: string[]): Promise<number> {
  return runSampleCommand(argv, { storeForUri, createDecoder: createOnnxDecoder });
}
