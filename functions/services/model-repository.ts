import { parseManifestJson, type Manifest } from '../../core/manifest';
import { ObjectNotFoundError, UnknownModelError } from '../errors';
import type { BatchScorer, ObjectStore } from './ports';

export interface LoadedModel {
  manifest: Manifest;
  scorer: BatchScorer;
}

export type ScorerFactory = (onnx: Uint8Array, manifest: Manifest) => Promise<BatchScorer>;

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
    this.prefix = options.prefix ?? 'models/';
    this.ttl = options.latestTtlMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  async resolveLatest(name: string): Promise<string> {
    const cached = this.latest.get(name);
    if (cached && this.now() - cached.at < this.ttl) return cached.version;
    let text: string;
    try {
      text = new TextDecoder().decode(await this.options.store.getBytes({ bucket: this.options.bucket, key: `${this.prefix}${name}/LATEST` }));
    } catch (err) {
      if (err instanceof ObjectNotFoundError) throw new UnknownModelError(name, `no ${this.prefix}${name}/LATEST in bucket '${this.options.bucket}'`, { cause: err });
      throw err;
    }
    const version = text.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(version)) throw new UnknownModelError(name, `LATEST holds an invalid version '${version.slice(0, 64)}'`);
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
    const base = `${this.prefix}${name}/${version}/`;
    const { store, bucket } = this.options;
    let manifestBytes: Uint8Array;
    let onnx: Uint8Array;
    try {
      [manifestBytes, onnx] = await Promise.all([store.getBytes({ bucket, key: `${base}manifest.json` }), store.getBytes({ bucket, key: `${base}model.onnx` })]);
    } catch (err) {
      if (err instanceof ObjectNotFoundError) throw new UnknownModelError(name, `version '${version}' is incomplete: ${err.message}`, { cause: err });
      throw err;
    }
    const manifest = parseManifestJson(new TextDecoder().decode(manifestBytes));
    if (manifest.name !== name) throw new UnknownModelError(name, `manifest at ${base} names model '${manifest.name}'`);
    return { manifest, scorer: await this.options.createScorer(onnx, manifest) };
  }
}
