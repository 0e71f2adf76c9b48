import type { Manifest } from '../../core/manifest';
import { FileObjectStore } from '../../storage/adapters/file-object-store';
import { writeArtifact } from '../../storage/artifact/layout';

/** Test helper: writes a training result's artifact into a local folder through the one layout writer. */
export async function writeModelArtifact(
  result: { manifest: Manifest; onnx: Uint8Array | null; extraFiles?: Record<string, Uint8Array> },
  dir: string,
): Promise<void> {
  if (!result.onnx) throw new Error('the result has no ONNX bytes');
  const files = { manifest: result.manifest, onnx: result.onnx, extraFiles: result.extraFiles };
  await writeArtifact(new FileObjectStore(), { bucket: '', key: dir }, files);
}
