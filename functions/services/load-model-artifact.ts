import { parseManifestJson } from '../../core/manifest';
import { ObjectNotFoundError, UnknownModelError } from '../errors';
import { joinKey } from '../../core/join-key';
import type { LoadedModel, ScorerFactory } from './model-repository';
import type { ObjectLocation, ObjectStore } from './ports';


/**
 * Loads a model artifact (a folder or S3 prefix holding `model.onnx` + `manifest.json`). A prefix that
 * holds a `LATEST` pointer instead (`models/<name>/`) is followed to that version.
 */
export async function loadModelArtifact(store: ObjectStore, at: ObjectLocation, createScorer: ScorerFactory): Promise<LoadedModel> {
  const file = (name: string): ObjectLocation => ({ bucket: at.bucket, key: joinKey(at.key, name) });
  let manifestBytes: Uint8Array;
  try {
    manifestBytes = await store.getBytes(file('manifest.json'));
  } catch (err) {
    if (!(err instanceof ObjectNotFoundError)) throw err;
    let latest: string;
    try {
      latest = new TextDecoder().decode(await store.getBytes(file('LATEST'))).trim();
    } catch {
      throw new UnknownModelError(at.key, `no manifest.json (nor LATEST) at '${at.bucket ? `s3://${at.bucket}/` : ''}${at.key}'`, { cause: err });
    }
    return loadModelArtifact(store, file(latest), createScorer);
  }
  const manifest = parseManifestJson(new TextDecoder().decode(manifestBytes));
  const onnx = await store.getBytes(file(manifest.onnx.file));
  return { manifest, scorer: await createScorer(onnx, manifest) };
}
