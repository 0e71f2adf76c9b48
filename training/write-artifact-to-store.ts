import type { Manifest } from '../core/manifest';
import { writeArtifact } from '../storage/artifact/layout';
import type { ObjectLocation, ObjectStore } from '../storage/object-store';
import { ArtifactError } from './errors';

/**
 * Writes a training result's artifact under `prefix` in a store (S3 or a local folder), in the layout and
 * order of storage/artifact/layout.ts (ONNX first, manifest last). A result trained without ONNX export
 * has nothing to write and is refused.
 */
export async function writeArtifactToStore(
  result: { manifest: Manifest; onnx: Uint8Array | null; extraFiles?: Record<string, Uint8Array> },
  store: ObjectStore,
  prefix: ObjectLocation,
): Promise<{ onnx: ObjectLocation; manifest: ObjectLocation }> {
  if (!result.onnx)
    throw new ArtifactError(`cannot write the model artifact to '${prefix.bucket}/${prefix.key}': the result has no ONNX bytes`);
  return writeArtifact(store, prefix, { manifest: result.manifest, onnx: result.onnx, extraFiles: result.extraFiles });
}
