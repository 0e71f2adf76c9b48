import { ResidualError } from '../core/errors';

/** The object (or model file) does not exist. */
export class ObjectNotFoundError extends ResidualError {
  constructor(readonly bucket: string, readonly key: string, options?: { cause?: unknown }) {
    super(bucket === '' ? `file '${key}' does not exist` : `object s3://${bucket}/${key} does not exist`, options);
  }
}

/** No published model for a name (no LATEST), or its artifact is unreadable. */
export class UnknownModelError extends ResidualError {
  constructor(readonly model: string, detail: string, options?: { cause?: unknown }) {
    super(`unknown model '${model}': ${detail}`, options);
  }
}

/** A required environment variable is missing. */
export class ConfigError extends ResidualError {}

/** A transient storage failure that survived every retry: the record must fail so SQS can redeliver it. */
export class TransientStoreError extends ResidualError {}
