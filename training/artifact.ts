import { mkdir, writeFile } from 'fs/promises';
import * as path from 'path';
import type { Manifest } from '../core/manifest';
import { ArtifactError } from './errors';

/**
 * Writes `model.onnx`, any extra files (a VAE's `decoder.onnx`) and `manifest.json` into `dir` (created
 * if needed); the manifest goes last. Returns the paths of the model and the manifest.
 */
export async function writeModelArtifact(result: { manifest: Manifest; onnx: Uint8Array | null; extraFiles?: Record<string, Uint8Array> }, dir: string): Promise<{ onnx: string; manifest: string }> {
  if (!result.onnx) throw new ArtifactError(`cannot write the model artifact to '${dir}': the result has no ONNX bytes (trained with exportOnnx: false)`);
  await mkdir(dir, { recursive: true });
  const onnxPath = path.join(dir, result.manifest.onnx.file);
  const manifestPath = path.join(dir, 'manifest.json');
  await writeFile(onnxPath, result.onnx);
  for (const [name, bytes] of Object.entries(result.extraFiles ?? {})) await writeFile(path.join(dir, name), bytes);
  await writeFile(manifestPath, JSON.stringify(result.manifest, null, 2) + '\n');
  return { onnx: onnxPath, manifest: manifestPath };
}
