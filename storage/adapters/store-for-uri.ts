import { createS3Client } from './s3-client';
import { FileObjectStore } from './file-object-store';
import { S3ObjectStore } from './s3-object-store';
import type { ObjectLocation, ObjectStore } from '../object-store';

export interface StoreAndLocation {
  store: ObjectStore;
  location: ObjectLocation;
  uri: string;
}

let s3Store: S3ObjectStore | undefined;

/** `s3://bucket/key` → its bucket and key; anything else (a local path) → null. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | null {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  return m ? { bucket: m[1]!, key: m[2]! } : null;
}

/**
 * `s3://bucket/key` → the S3 store (endpoint from S3_ENDPOINT or AWS_ENDPOINT_URL_S3 for local servers);
 * anything else is a local path.
 */
export function storeForUri(uri: string, env: NodeJS.ProcessEnv = process.env): StoreAndLocation {
  const s3 = parseS3Uri(uri);
  if (!s3) return { store: new FileObjectStore(), location: { bucket: '', key: uri }, uri };
  s3Store ??= new S3ObjectStore(createS3Client({ endpoint: env.S3_ENDPOINT || env.AWS_ENDPOINT_URL_S3 || undefined }));
  return { store: s3Store, location: s3, uri };
}
