import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';
import { ObjectNotFoundError, PreconditionFailedError, TransientStoreError } from '../errors';
import type { ObjectLocation, ObjectStore, PutCondition, PutOptions, RandomAccessObject, TaggedObject } from '../object-store';
import { createS3Client, type S3ClientOptions } from './s3-client';

/** multipart part size (S3's minimum is 5 MiB) */
const PART_SIZE = 8 * 1024 * 1024;

/**
 * An S3ObjectStore whose streamed GETs have a socket pool of their own. A streamed body holds its socket
 * while the caller reads it, and the caller needs other requests meanwhile (LATEST, the model, the output
 * PUTs, a quarantine copy). With one shared pool, N concurrent objects holding all N sockets would each
 * wait for a socket forever. With two, the holders only ever wait on the request pool, whose requests
 * never wait on anything while holding a socket (small bodies are read whole; upload parts are buffered),
 * so no cycle exists whatever the pool sizes.
 */
export function createS3ObjectStore(options: S3ClientOptions & { partSize?: number } = {}): S3ObjectStore {
  return new S3ObjectStore(createS3Client(options), createS3Client(options), options.partSize);
}

/**
 * ObjectStore over the AWS SDK v3 (real S3, s3rver or moto). Transient errors are retried by the SDK.
 * `streamClient` serves `get` (bodies read incrementally); give it its own pool (createS3ObjectStore) when
 * several objects are processed at once.
 */
export class S3ObjectStore implements ObjectStore {
  constructor(private readonly client: S3Client, private readonly streamClient: S3Client = client, private readonly partSize = PART_SIZE) {}

  async get(loc: ObjectLocation) {
    const command = new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key, VersionId: loc.versionId });
    const res = await this.send(loc, () => this.streamClient.send(command));
    if (!res.Body) throw new ObjectNotFoundError(loc.bucket, loc.key);
    return {
      body: res.Body as AsyncIterable<Uint8Array>,
      size: res.ContentLength,
      metadata: res.Metadata ?? {},
      versionId: res.VersionId,
    };
  }

  async getBytes(loc: ObjectLocation): Promise<Uint8Array> {
    const res = await this.send(loc, () =>
      this.client.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key, VersionId: loc.versionId })),
    );
    if (!res.Body) throw new ObjectNotFoundError(loc.bucket, loc.key);
    return res.Body.transformToByteArray();
  }

  async put(loc: ObjectLocation, body: Readable | Uint8Array | string, options: PutOptions = {}): Promise<void> {
    const { signal } = options;
    if (typeof body === 'string' || body instanceof Uint8Array) {
      const params = { Bucket: loc.bucket, Key: loc.key, Body: body, ContentType: options.contentType, Metadata: options.metadata };
      const command = new PutObjectCommand(params);
      await this.send(loc, () => this.client.send(command, { abortSignal: signal }));
      return;
    }
    const upload = new Upload({
      client: this.client,
      params: { Bucket: loc.bucket, Key: loc.key, Body: body, ContentType: options.contentType, Metadata: options.metadata },
      partSize: this.partSize,
      queueSize: 2,
      leavePartsOnError: false,
    });
    // Upload.abort() stops it before CompleteMultipartUpload and then aborts the multipart upload, even
    // when the whole body was already read (destroying the body would no longer stop it then).
    const onAbort = () => void upload.abort();
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await this.send(loc, () => upload.done());
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async copy(from: ObjectLocation, to: ObjectLocation): Promise<void> {
    const source = `${from.bucket}/${encodeURIComponent(from.key).replace(/%2F/g, '/')}${from.versionId ? `?versionId=${from.versionId}` : ''}`;
    await this.send(from, () => this.client.send(new CopyObjectCommand({ Bucket: to.bucket, Key: to.key, CopySource: source })));
  }

  /** S3 DELETE is idempotent (204 for a missing key); a 404 from a store that answers one is not an error either. */
  async delete(loc: ObjectLocation): Promise<void> {
    try {
      await this.send(loc, () => this.client.send(new DeleteObjectCommand({ Bucket: loc.bucket, Key: loc.key, VersionId: loc.versionId })));
    } catch (err) {
      if (!(err instanceof ObjectNotFoundError)) throw err;
    }
  }

  async open(loc: ObjectLocation): Promise<RandomAccessObject> {
    const head = await this.send(loc, () =>
      this.client.send(new HeadObjectCommand({ Bucket: loc.bucket, Key: loc.key, VersionId: loc.versionId })),
    );
    const byteLength = head.ContentLength ?? 0;
    return {
      byteLength,
      metadata: head.Metadata ?? {},
      versionId: head.VersionId,
      slice: async (start: number, end?: number) => {
        const last = (end ?? byteLength) - 1;
        if (last < start) return new ArrayBuffer(0);
        const res = await this.send(loc, () =>
          this.client.send(
            new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key, VersionId: loc.versionId, Range: `bytes=${start}-${last}` }),
          ),
        );
        const bytes = await res.Body!.transformToByteArray();
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      },
      close: async () => undefined,
    };
  }

  async getTagged(loc: ObjectLocation): Promise<TaggedObject | null> {
    try {
      const res = await this.send(loc, () =>
        this.client.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key, VersionId: loc.versionId })),
      );
      if (!res.Body || !res.ETag) throw new TransientStoreError(`S3 GET of s3://${loc.bucket}/${loc.key} returned no body or ETag`);
      return { bytes: await res.Body.transformToByteArray(), etag: res.ETag };
    } catch (err) {
      if (err instanceof ObjectNotFoundError) return null;
      throw err;
    }
  }

  /**
   * S3 conditional writes (`If-Match` / `If-None-Match: *` on PutObject). 412 PreconditionFailed, 409
   * ConditionalRequestConflict (a concurrent conditional write) and 404 (If-Match on an object deleted
   * meanwhile) all mean "another writer got there first". The SDK does not retry a 412 or a 409.
   */
  async putIf(
    loc: ObjectLocation, body: Uint8Array | string, condition: PutCondition, options: PutOptions = {},
  ): Promise<{ etag: string }> {
    const cond = 'ifMatch' in condition ? { IfMatch: condition.ifMatch } : { IfNoneMatch: condition.ifNoneMatch };
    const params = { Bucket: loc.bucket, Key: loc.key, Body: body, ContentType: options.contentType, Metadata: options.metadata, ...cond };
    try {
      const res = await this.send(loc, () => this.client.send(new PutObjectCommand(params), { abortSignal: options.signal }));
      if (!res.ETag) throw new TransientStoreError(`S3 PUT of s3://${loc.bucket}/${loc.key} returned no ETag`);
      return { etag: res.ETag };
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      const status = e.$metadata?.httpStatusCode;
      if (err instanceof ObjectNotFoundError || status === 412 || status === 409 || e.name === 'PreconditionFailed')
        throw new PreconditionFailedError(loc.bucket, loc.key, { cause: err });
      throw err;
    }
  }

  /** Maps SDK errors onto residual's: missing objects, and transient failures that outlived the retries. */
  private async send<T>(loc: ObjectLocation, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
      const status = e.$metadata?.httpStatusCode;
      if (e.name === 'NoSuchKey' || e.name === 'NotFound' || status === 404)
        throw new ObjectNotFoundError(loc.bucket, loc.key, { cause: err });
      if (status === undefined || status >= 500 || status === 429 || e.name === 'SlowDown' || e.$retryable) {
        throw new TransientStoreError(`S3 request for s3://${loc.bucket}/${loc.key} failed after retries: ${e.name ?? String(err)}`, {
          cause: err,
        });
      }
      throw err;
    }
  }
}
