import type { Readable } from 'node:stream';

/** Where objects are read from and written to: S3 in the cloud, s3rver or a folder on this machine. */
export interface ObjectStore {
  /** Streams an object's bytes. Throws ObjectNotFoundError when it does not exist. */
  get(
    location: ObjectLocation,
  ): Promise<{ body: AsyncIterable<Uint8Array>; size?: number; metadata: Record<string, string>; versionId?: string }>;
  /** Reads a whole (small) object. */
  getBytes(location: ObjectLocation): Promise<Uint8Array>;
  /** Writes an object from a stream (multipart where the store supports it). */
  put(location: ObjectLocation, body: Readable | Uint8Array | string, options?: PutOptions): Promise<void>;
  /** Copies an object within or across buckets. */
  copy(from: ObjectLocation, to: ObjectLocation): Promise<void>;
  /** Removes an object (the current version where the store keeps versions). A missing object is not an error. */
  delete(location: ObjectLocation): Promise<void>;
  /** Random access for formats that need it (Parquet): size + ranged reads. */
  open(location: ObjectLocation): Promise<RandomAccessObject>;
  /** Reads a whole (small) object with its ETag, or null when it does not exist (for a later conditional put). */
  getTagged(location: ObjectLocation): Promise<TaggedObject | null>;
  /**
   * Writes a small object only if `condition` holds when the write lands, atomically with the write:
   * `{ ifMatch: etag }` the current object has that ETag (S3 `If-Match`), `{ ifNoneMatch: '*' }` no object
   * exists (S3 `If-None-Match: *`). Returns the new ETag. A failed condition (another writer got there
   * first, or the object vanished) throws PreconditionFailedError and writes nothing.
   */
  putIf(location: ObjectLocation, body: Uint8Array | string, condition: PutCondition, options?: PutOptions): Promise<{ etag: string }>;
}

export interface TaggedObject {
  bytes: Uint8Array;
  /** the store's entity tag, compared verbatim by `putIf` (quotes included where the store sends them) */
  etag: string;
}

export type PutCondition = { ifMatch: string } | { ifNoneMatch: '*' };

export interface PutOptions {
  contentType?: string;
  metadata?: Record<string, string>;
  /** aborts the write; a multipart upload is then aborted, never completed (no partial object appears) */
  signal?: AbortSignal;
}

export interface ObjectLocation {
  bucket: string;
  key: string;
  versionId?: string;
}

export interface RandomAccessObject {
  byteLength: number;
  metadata: Record<string, string>;
  versionId?: string;
  slice(start: number, end?: number): Promise<ArrayBuffer>;
  close(): Promise<void>;
}
