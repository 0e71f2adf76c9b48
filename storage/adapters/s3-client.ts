import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

export interface S3ClientOptions {
  /** Set for s3rver, moto or any S3-compatible server; path-style addressing is used then. */
  endpoint?: string;
  region?: string;
  /** Attempts per request including the first (SDK standard retry mode with exponential backoff). */
  maxAttempts?: number;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** A profile in ~/.aws/config and ~/.aws/credentials (aws-cli's --profile): its credentials, and its region unless `region` is set. */
  profile?: string;
  /** Sockets in this client's pool (default 16). See S3ObjectStore: streamed GETs use a pool of their own. */
  maxSockets?: number;
}

/**
 * The one place an S3Client is built. Against a local server the SDK needs path-style addressing and,
 * since 3.729, checksums only WHEN_REQUIRED (local servers do not implement the new default CRC32 flow).
 */
export function createS3Client(options: S3ClientOptions = {}): S3Client {
  const local = options.endpoint !== undefined;
  const { profile } = options;
  // with a profile and no region given, the SDK reads the profile's region (AWS_REGION still wins)
  const region = options.region ?? process.env.AWS_REGION ?? (profile ? undefined : 'us-east-1');
  return new S3Client({
    region,
    profile,
    endpoint: options.endpoint,
    forcePathStyle: local,
    maxAttempts: options.maxAttempts ?? 5,
    retryMode: 'standard',
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // a local server without a profile gets s3rver's fixed keys; a profile's own keys are used otherwise
    credentials: options.credentials ?? (local && !profile ? { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } : undefined),
    requestHandler: new NodeHttpHandler({
      httpAgent: new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 16 }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 16 }),
      connectionTimeout: 10_000,
    }),
  });
}
