import type { Readable } from 'node:stream';
import { InputError } from '../../core/errors';
import { TransientStoreError } from '../errors';
import type { ObjectLocation, ObjectStore, PutOptions, RandomAccessObject } from '../object-store';

/** Where requests went, for the messages below. */
export interface S3Target {
  endpoint?: string;
  region?: string;
  profile?: string;
}

/** Socket-level failures: nothing answered, so the cause is the address, the network or a firewall. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE',
]);

/**
 * Turns an S3 failure whose message would only say "Error" or "CredentialsProviderError" into one that names
 * the cause: the endpoint that could not be reached and the socket error code, missing credentials and how to
 * give them, a missing region. Returns null for anything else (S3's own answers keep their names).
 */
export function explainS3Failure(err: unknown, target: S3Target): Error | null {
  const chain = causes(err);
  // the code, or its mention in the message: an error from another realm (a vm context, as under jest) reaches
  // us as the SDK's "AWS SDK error wrapper for Error: connect ECONNREFUSED …", which keeps only the text
  const codes = chain.flatMap((e) => [e.code, ...(String(e.message ?? '').match(/\bE[A-Z_]{3,}\b/g) ?? [])]);
  const network = codes.find((c): c is string => typeof c === 'string' && NETWORK_CODES.has(c))
    ?? (chain.some((e) => e.name === 'TimeoutError') ? 'connection timed out' : undefined);
  const where = target.endpoint ?? `for region ${target.region ?? process.env.AWS_REGION ?? 'us-east-1'}`;
  if (network) return new TransientStoreError(`cannot reach the S3 endpoint ${where} (${network})`, { cause: err });
  if (chain.some((e) => e.name === 'CredentialsProviderError')) {
    const profile = target.profile ?? process.env.AWS_PROFILE;
    const message = profile
      ? `no AWS credentials found for profile '${profile}' (check ~/.aws/credentials and ~/.aws/config, or run aws sso login)`
      : 'no AWS credentials found (set AWS_PROFILE or --profile <name>, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)';
    return new InputError(message, { cause: err });
  }
  if (chain.some((e) => /region is missing/i.test(e.message ?? ''))) {
    const profile = target.profile ? ` for profile '${target.profile}' (is it in ~/.aws/config?)` : '';
    return new InputError(`no AWS region${profile} for s3:// paths: set --region or AWS_REGION, or region in the profile`, { cause: err });
  }
  return null;
}

/** The store, with explainS3Failure applied to every failed call (reads of a body stream already returned excepted). */
export function explainingS3Failures(store: ObjectStore, target: S3Target): ObjectStore {
  const explain = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      throw explainS3Failure(err, target) ?? err;
    }
  };
  return {
    get: (loc: ObjectLocation) => explain(() => store.get(loc)),
    getBytes: (loc: ObjectLocation) => explain(() => store.getBytes(loc)),
    put: (loc: ObjectLocation, body: Readable | Uint8Array | string, options?: PutOptions) => explain(() => store.put(loc, body, options)),
    copy: (from: ObjectLocation, to: ObjectLocation) => explain(() => store.copy(from, to)),
    delete: (loc: ObjectLocation) => explain(() => store.delete(loc)),
    open: async (loc: ObjectLocation): Promise<RandomAccessObject> => {
      const file = await explain(() => store.open(loc));
      return { ...file, slice: (start, end) => explain(() => file.slice(start, end)), close: () => file.close() };
    },
    getTagged: (loc: ObjectLocation) => explain(() => store.getTagged(loc)),
    putIf: (loc, body, condition, options) => explain(() => store.putIf(loc, body, condition, options)),
  };
}

interface Described {
  name?: string;
  code?: unknown;
  message?: string;
}

/** The error, its causes and an AggregateError's members (Node's happy-eyeballs connect reports one per address). */
function causes(err: unknown, seen = new Set<unknown>()): Described[] {
  if (err === null || typeof err !== 'object' || seen.has(err)) return [];
  seen.add(err);
  const e = err as Described & { cause?: unknown; errors?: unknown };
  const nested = Array.isArray(e.errors) ? e.errors.flatMap((x) => causes(x, seen)) : [];
  return [e, ...causes(e.cause, seen), ...nested];
}
