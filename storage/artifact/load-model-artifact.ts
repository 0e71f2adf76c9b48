import { parseManifestJson } from '../../core/manifest';
import { ObjectNotFoundError, UnknownModelError } from '../errors';
import { joinKey } from '../../core/join-key';
import { parseLatestPointer } from './latest-pointer';
import { withLocation } from './model-repository';
import { type LoadedModel, type ScorerFactory } from '../../scoring/batch-scorer';
import { onnxFileName } from './onnx-file-name';
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
  const file = (name: string): ObjectLocation => ({ bucket: at.bucket, key: joinKey(at.key, name) });
  const where = (loc: ObjectLocation) => `${loc.bucket ? `s3://${loc.bucket}/` : ''}${loc.key}`;
  let manifestBytes: Uint8Array;
  try {
    manifestBytes = await store.getBytes(file('manifest.json'));
  } catch (err) {
    if (!(err instanceof ObjectNotFoundError) || !followLatest) {
      if (err instanceof ObjectNotFoundError) throw new UnknownModelError(at.key, `no manifest.json at '${where(at)}'`, { cause: err });
      throw err;
    }
    let text: string;
    try {
      text = new TextDecoder().decode(await store.getBytes(file('LATEST')));
    } catch {
      throw new UnknownModelError(at.key, `no manifest.json (nor LATEST) at '${where(at)}'`, { cause: err });
    }
    const version = parseLatestPointer(text, where(file('LATEST')));
    return loadModelArtifact(store, file(version), createScorer, false);
  }
  const manifest = parseManifestJson(new TextDecoder().decode(manifestBytes));
  const onnx = await store.getBytes(file(onnxFileName(manifest, where(file('manifest.json')))));
  return { manifest, scorer: await withLocation(where(at), () => createScorer(onnx, manifest)) };
}
