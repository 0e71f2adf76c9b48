import { mkdir, writeFile } from 'fs/promises';
import * as path from 'path';
import type { Manifest } from '../core/manifest';
import { ArtifactError } from './errors';

/**
 * Writes `model.onnx` and `manifest.json` into `dir` (created if needed). Returns the two paths.
 */
export async function writeModelArtifact(result: { manifest: Manifest; onnx: Uint8Array | null }, dir: string): Promise<{ onnx: string; manifest: string }> {
  if (!result.onnx) throw new ArtifactError(`cannot write the model artifact to '${dir}': the result has no ONNX bytes (trained with exportOnnx: false)`);
  await mkdir(dir, { recursive: true });
  const onnxPath = path.join(dir, result.manifest.onnx.file);
  const manifestPath = path.join(dir, 'manifest.json');
  await writeFile(onnxPath, result.onnx);
  await writeFile(manifestPath, JSON.stringify(result.manifest, null, 2) + '\n');
  return { onnx: onnxPath, manifest: manifestPath };
}
