import { parseManifestJson } from '../../core/manifest';
import { ModelArtifactError, ObjectNotFoundError, UnknownModelError } from '../errors';
import { latestKey, MANIFEST_FILE, MODELS_PREFIX, onnxFileName, readLatest, versionKey } from './layout';
import type { ObjectStore } from '../object-store';
import type { LoadedModel, ScorerFactory } from '../../scoring/batch-scorer';

export interface ModelRepositoryOptions {
  store: ObjectStore;
  bucket: string;
  /** `models/` by default (SPEC.md S3 layout). */
  prefix?: string;
  createScorer: ScorerFactory;
  /** How long a resolved LATEST pointer is trusted, in ms (default 60 s). */
  latestTtlMs?: number;
  now?: () => number;
}

/**
 * Resolves `<models bucket>/models/<name>/LATEST` to a version and loads `model.onnx` + `manifest.json`.
 * Loaded sessions are cached for the life of the process (warm Lambda invocations reuse them).
 */
export class ModelRepository {
  private readonly latest = new Map<string, { version: string; at: number }>();
  private readonly loaded = new Map<string, Promise<LoadedModel>>();
  private readonly prefix: string;
  private readonly ttl: number;
  private readonly now: () => number;

  constructor(private readonly options: ModelRepositoryOptions) {
    this.prefix = options.prefix ?? MODELS_PREFIX;
    this.ttl = options.latestTtlMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  async resolveLatest(name: string): Promise<string> {
    const cached = this.latest.get(name);
    if (cached && this.now() - cached.at < this.ttl) return cached.version;
    const pointer = { bucket: this.options.bucket, key: latestKey(this.prefix, name) };
    let version: string;
    try {
      version = await readLatest(this.options.store, pointer);
    } catch (err) {
      if (!(err instanceof ObjectNotFoundError)) throw err;
      throw new UnknownModelError(name, `no ${pointer.key} in bucket '${pointer.bucket}'`, { cause: err });
    }
    this.latest.set(name, { version, at: this.now() });
    return version;
  }

  /** Loads (once) the given version, or LATEST when no version is given. */
  async load(name: string, version?: string): Promise<LoadedModel> {
    const v = version ?? (await this.resolveLatest(name));
    const cacheKey = `${name}@${v}`;
    let pending = this.loaded.get(cacheKey);
    if (!pending) {
      pending = this.fetch(name, v);
      this.loaded.set(cacheKey, pending);
      pending.catch(() => this.loaded.delete(cacheKey));
    }
    return pending;
  }

  private async fetch(name: string, version: string): Promise<LoadedModel> {
    const base = versionKey(this.prefix, name, version);
    const where = `s3://${this.options.bucket}/${base}`;
    const manifest = parseManifestJson(new TextDecoder().decode(await this.file(name, version, `${base}${MANIFEST_FILE}`)));
    if (manifest.name !== name) throw new UnknownModelError(name, `manifest at ${base} names model '${manifest.name}'`);
    const onnx = await this.file(name, version, `${base}${onnxFileName(manifest, `${where}${MANIFEST_FILE}`)}`);
    return { manifest, scorer: await withLocation(where, () => this.options.createScorer(onnx, manifest)) };
  }

  private async file(name: string, version: string, key: string): Promise<Uint8Array> {
    try {
      return await this.options.store.getBytes({ bucket: this.options.bucket, key });
    } catch (err) {
      if (err instanceof ObjectNotFoundError)
        throw new UnknownModelError(name, `version '${version}' is incomplete: ${err.message}`, { cause: err });
      throw err;
    }
  }
}

/** Prefixes a model-artifact error with where the artifact lives (the scorer only knows the file name). */
export async function withLocation<T>(where: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (err) {
    if (err instanceof ModelArtifactError) throw new ModelArtifactError(`${where}: ${err.message}`, { cause: err });
    throw err;
  }
}
