import { createS3Client } from './s3-client';
import { explainingS3Failures, type S3Target } from './explain-s3-failure';
import { FileObjectStore } from './file-object-store';
import { S3ObjectStore } from './s3-object-store';
import type { ObjectLocation, ObjectStore } from '../object-store';

export interface StoreAndLocation {
  store: ObjectStore;
  location: ObjectLocation;
  uri: string;
}

/** aws-cli's `--profile`, `--region` and `--endpoint-url`, for every later s3:// path. */
export type S3Settings = S3Target;

let s3Store: { store: ObjectStore; key: string; destroy: () => void } | undefined;
let settings: S3Settings = {};

/** `s3://bucket/key` → its bucket and key; anything else (a local path) → null. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | null {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  return m ? { bucket: m[1]!, key: m[2]! } : null;
}

/** Sets the profile, region and endpoint of the S3 store storeForUri hands out (the CLI's S3 flags); {} goes back to the environment. */
export function configureS3(next: S3Settings): void {
  settings = { ...next };
}

/**
 * `s3://bucket/key` → the S3 store (configureS3's endpoint, else S3_ENDPOINT or AWS_ENDPOINT_URL_S3 for local
 * servers; its profile and region); anything else is a local path. S3 failures name their cause (an endpoint that
 * cannot be reached, missing credentials): see explain-s3-failure.ts.
 */
export function storeForUri(uri: string, env: NodeJS.ProcessEnv = process.env): StoreAndLocation {
  const s3 = parseS3Uri(uri);
  if (!s3) return { store: new FileObjectStore(), location: { bucket: '', key: uri }, uri };
  const target: S3Target = { ...settings, endpoint: settings.endpoint || env.S3_ENDPOINT || env.AWS_ENDPOINT_URL_S3 || undefined };
  const key = JSON.stringify(target);
  if (s3Store?.key !== key) {
    // settings changed (another command in the same process): the old client's sockets go
    s3Store?.destroy();
    const client = createS3Client({ endpoint: target.endpoint, region: target.region, profile: target.profile });
    s3Store = { store: explainingS3Failures(new S3ObjectStore(client), target), key, destroy: () => client.destroy() };
  }
  return { store: s3Store.store, location: s3, uri };
}
