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
}

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
