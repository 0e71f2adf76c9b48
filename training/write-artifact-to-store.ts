import { joinKey } from '../core/join-key';
import type { Manifest } from '../core/manifest';
import type { ObjectLocation, ObjectStore } from '../storage/object-store';
import { ArtifactError } from './errors';

/**
 * Writes `model.onnx` and `manifest.json` under `prefix` in a store (S3 or a local folder). The ONNX
 * goes first so that a reader who sees the manifest finds the model beside it.
 */
export async function writeArtifactToStore(
  result: { manifest: Manifest; onnx: Uint8Array | null; extraFiles?: Record<string, Uint8Array> },
  store: ObjectStore,
  prefix: ObjectLocation,
): Promise<{ onnx: ObjectLocation; manifest: ObjectLocation }> {
  if (!result.onnx) throw new ArtifactError(`cannot write the model artifact to '${prefix.bucket}/${prefix.key}': the result has no ONNX bytes`);
  const onnx = { bucket: prefix.bucket, key: joinKey(prefix.key, result.manifest.onnx.file) };
  const manifest = { bucket: prefix.bucket, key: joinKey(prefix.key, 'manifest.json') };
  await store.put(onnx, result.onnx, { contentType: 'application/octet-stream' });
  for (const [name, bytes] of Object.entries(result.extraFiles ?? {})) {
    await store.put({ bucket: prefix.bucket, key: joinKey(prefix.key, name) }, bytes, { contentType: 'application/octet-stream' });
  }
  await store.put(manifest, JSON.stringify(result.manifest, null, 2) + '\n', { contentType: 'application/json' });
  return { onnx, manifest };
}
