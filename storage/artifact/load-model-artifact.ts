import { parseManifestJson } from '../../core/manifest';
import { ObjectNotFoundError, UnknownModelError } from '../errors';
import { artifactFile, describeLocation as where, LATEST_FILE, MANIFEST_FILE, onnxFileName, readLatest } from './layout';
import { withLocation } from './model-repository';
import { type LoadedModel, type ScorerFactory } from '../../scoring/batch-scorer';
import type { ObjectLocation, ObjectStore } from '../object-store';

/**
 * Loads a model artifact (a folder or S3 prefix holding `model.onnx` + `manifest.json`). A prefix that
 * holds a `LATEST` pointer instead (`models/<name>/`) is followed to that version, once: the pointer must
 * name a version folder, never itself or a parent.
 */
export async function loadModelArtifact(
  store: ObjectStore,
  at: ObjectLocation,
  createScorer: ScorerFactory,
  followLatest = true,
): Promise<LoadedModel> {
  const file = (name: string): ObjectLocation => artifactFile(at, name);
  let manifestBytes: Uint8Array;
  try {
    manifestBytes = await store.getBytes(file(MANIFEST_FILE));
  } catch (err) {
    if (!(err instanceof ObjectNotFoundError) || !followLatest) {
      if (err instanceof ObjectNotFoundError) throw new UnknownModelError(at.key, `no ${MANIFEST_FILE} at '${where(at)}'`, { cause: err });
      throw err;
    }
    let version: string;
    try {
      version = await readLatest(store, file(LATEST_FILE));
    } catch (latestErr) {
      if (!(latestErr instanceof ObjectNotFoundError)) throw latestErr;
      throw new UnknownModelError(at.key, `no ${MANIFEST_FILE} (nor ${LATEST_FILE}) at '${where(at)}'`, { cause: err });
    }
    return loadModelArtifact(store, file(version), createScorer, false);
  }
  const manifest = parseManifestJson(new TextDecoder().decode(manifestBytes));
  const onnx = await store.getBytes(file(onnxFileName(manifest, where(file(MANIFEST_FILE)))));
  return { manifest, scorer: await withLocation(where(at), () => createScorer(onnx, manifest)) };
}
