import { joinKey } from '../../core/join-key';
import type { Manifest } from '../../core/manifest';
import { ModelArtifactError } from '../errors';
import type { ObjectLocation, ObjectStore } from '../object-store';

/**
 * The model artifact's layout, defined once (docs/ "S3 layout"): every reader and writer of an artifact
 * (the Lambda's model repository, the local loader, the training job, the CLI, the demo, the library)
 * takes its file names, keys, LATEST handling and write order from here. No other module spells the
 * file names (test/storage/artifact-layout-literals.test.ts fails if one does).
 *
 *   <prefix><name>/LATEST                 one version name (the live version)
 *   <prefix><name>/<version>/model.onnx   the ONNX graph (its name is the manifest's onnx.file)
 *   <prefix><name>/<version>/decoder.onnx a VAE's decoder, when there is one
 *   <prefix><name>/<version>/generator.onnx a GAN's generator (its manifest's onnx.file: a gan has no model.onnx)
 *   <prefix><name>/<version>/manifest.json written last: a reader that sees it finds the rest
 */

/** The manifest's file name inside a version folder. */
export const MANIFEST_FILE = 'manifest.json';
/** The ONNX file name training writes (the manifest's `onnx.file`); readers take the manifest's value. */
export const DEFAULT_ONNX_FILE = 'model.onnx';
/** A VAE's decoder (input `z` → rows), beside the model. */
export const DECODER_FILE = 'decoder.onnx';
/** A GAN's generator (inputs `z`, `cond` → model-space rows); a gan manifest's onnx.file. */
export const GENERATOR_FILE = 'generator.onnx';
/** The pointer file under a model's name that holds its live version. */
export const LATEST_FILE = 'LATEST';
/** Files an artifact may hold besides the manifest and its ONNX file. */
export const EXTRA_FILES: readonly string[] = Object.freeze([DECODER_FILE]);
/** Where the models bucket keeps models (ModelRepository's default prefix). */
export const MODELS_PREFIX = 'models/';

const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** `<prefix><name>/<version>/`: the key prefix of one version (prefix ends in '/' or is ''). */
export function versionKey(prefix: string, name: string, version: string): string {
  return `${prefix}${name}/${version}/`;
}

/** `<prefix><name>/LATEST`: the key of a model's pointer. */
export function latestKey(prefix: string, name: string): string {
  return `${prefix}${name}/${LATEST_FILE}`;
}

/** The folder (or S3 prefix) of a model by name under a models root: `<root>/models/<name>`. */
export function modelLocation(root: ObjectLocation, name: string): ObjectLocation {
  return { bucket: root.bucket, key: joinKey(root.key, `${MODELS_PREFIX}${name}`) };
}

/** A file of an artifact (or the LATEST pointer) under a folder or prefix. */
export function artifactFile(at: ObjectLocation, file: string): ObjectLocation {
  return { bucket: at.bucket, key: joinKey(at.key, file) };
}

/** `s3://bucket/key`, or the bare path for a local folder (bucket ''), for messages. */
export function describeLocation(at: ObjectLocation): string {
  return `${at.bucket ? `s3://${at.bucket}/` : ''}${at.key}`;
}

/**
 * Parses the text of a `LATEST` pointer: one version name (surrounding whitespace allowed). Anything else
 * (empty, `.`, `..`, a path such as `a/b`, inner whitespace) is refused at once, naming the file, so a
 * loader can never follow the pointer back to itself. The content is not echoed (only its length).
 */
export function parseLatestPointer(text: string, file: string): string {
  const version = text.trim();
  if (!VERSION.test(version)) {
    throw new ModelArtifactError(
      `${file} does not hold a version name (${version.length} characters; ` +
        `expected letters, digits, '.', '_' or '-', not starting with '.')`,
    );
  }
  return version;
}

/**
 * Reads and validates the LATEST pointer at `pointer` (a key from latestKey or artifactFile(.., LATEST_FILE)).
 * A missing pointer rejects with the store's ObjectNotFoundError; an invalid one with a ModelArtifactError.
 */
export async function readLatest(store: ObjectStore, pointer: ObjectLocation): Promise<string> {
  return parseLatestPointer(new TextDecoder().decode(await store.getBytes(pointer)), describeLocation(pointer));
}

/** Points a model's LATEST (a key from latestKey or artifactFile(.., LATEST_FILE)) at a version, checked first. */
export async function writeLatest(store: ObjectStore, pointer: ObjectLocation, version: string): Promise<void> {
  parseLatestPointer(version, `the new ${LATEST_FILE} for ${describeLocation(pointer)}`);
  await store.put(pointer, `${version}\n`, { contentType: 'text/plain' });
}

/**
 * The manifest's `onnx.file`, checked to be a plain file name inside the artifact: no separators, no
 * `.`/`..`, no leading dot, no control characters. `../secret.onnx` or `/etc/x` are refused.
 */
export function onnxFileName(manifest: Manifest, manifestFile: string): string {
  const name = manifest.onnx.file;
  if (!FILE_NAME.test(name) || name.length > 255) {
    throw new ModelArtifactError(`${manifestFile}: onnx.file must be a plain file name inside the artifact (no '/', '\\\\' or '..')`);
  }
  return name;
}

/** What an artifact holds: the manifest, its ONNX bytes and further files by name (a VAE's decoder). */
export interface ArtifactFiles {
  manifest: Manifest;
  onnx: Uint8Array;
  extraFiles?: Readonly<Record<string, Uint8Array>>;
}

/**
 * Writes an artifact under `prefix` (a version folder or S3 prefix): the ONNX file first, then any extra
 * files, the manifest last, so a reader who sees the manifest finds the model beside it. File names are
 * checked as a reader checks them before anything is written.
 */
export async function writeArtifact(
  store: ObjectStore,
  prefix: ObjectLocation,
  files: ArtifactFiles,
): Promise<{ onnx: ObjectLocation; manifest: ObjectLocation }> {
  const manifest = artifactFile(prefix, MANIFEST_FILE);
  const onnx = artifactFile(prefix, onnxFileName(files.manifest, describeLocation(manifest)));
  const extras = Object.entries(files.extraFiles ?? {});
  for (const [name] of extras) {
    if (!FILE_NAME.test(name) || name === MANIFEST_FILE || name === files.manifest.onnx.file) {
      const what = 'an extra artifact file must be a plain file name other than the manifest\'s';
      throw new ModelArtifactError(`${describeLocation(prefix)}: ${what}`);
    }
  }
  await store.put(onnx, files.onnx, { contentType: 'application/octet-stream' });
  for (const [name, bytes] of extras) await store.put(artifactFile(prefix, name), bytes, { contentType: 'application/octet-stream' });
  await store.put(manifest, JSON.stringify(files.manifest, null, 2) + '\n', { contentType: 'application/json' });
  return { onnx, manifest };
}
