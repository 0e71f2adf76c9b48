import type { S3Event } from 'aws-lambda';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';

export interface LocalS3Options {
  /** folder that holds the buckets' files */
  directory: string;
  buckets: string[];
  /** 0 picks a free port */
  port?: number;
  /**
   * How long an idle keep-alive connection stays open, in ms (Node's default, 5 s, when absent); 0 keeps it
   * open until the client closes it, so a client that leaks a connection runs out of them instead of
   * getting it back after a delay (tests use this to make a leak a hang rather than a slowdown).
   */
  keepAliveTimeoutMs?: number;
}

export interface LocalS3 {
  endpoint: string;
  directory: string;
  /** Subscribes to ObjectCreated notifications (keys URL-encoded the way S3 encodes them). */
  onObjectCreated(listener: (event: S3Event) => void): void;
  close(): Promise<void>;
}

/**
 * An S3-compatible server on 127.0.0.1 (s3rver) for running the pipeline with no AWS account. Its
 * notifications carry plain keys; they are re-encoded here as S3 does (URL-encoding, '+' for spaces) so
 * the handler sees exactly what a real S3 notification would give it.
 */
export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  await mkdir(options.directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory: options.directory,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [] })),
  });
  const { port } = (await server.run()) as AddressInfo;
  if (options.keepAliveTimeoutMs !== undefined) {
    (server as unknown as { httpServer: import('node:http').Server }).httpServer.keepAliveTimeout = options.keepAliveTimeoutMs;
  }
  const listeners: ((event: S3Event) => void)[] = [];
  (server as unknown as NodeJS.EventEmitter).on('event', (event: S3Event) => {
    const encoded: S3Event = {
      Records: event.Records.map((r) => ({ ...r, s3: { ...r.s3, object: { ...r.s3.object, key: encodeS3EventKey(r.s3.object.key) } } })),
    };
    for (const l of listeners) l(encoded);
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    directory: options.directory,
    onObjectCreated: (listener) => void listeners.push(listener),
    close: () => server.close(),
  };
}

/** How S3 writes object keys into event notifications. */
export function encodeS3EventKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}
