import { ResidualError } from '../core/errors';

/** The object (or model file) does not exist. */
export class ObjectNotFoundError extends ResidualError {
  readonly code = 'OBJECT_NOT_FOUND';
  /** it may be written after the event or pointer that names it; the Lambda ignores an event's own object once gone */
  readonly retryable = true;

  constructor(readonly bucket: string, readonly key: string, options?: { cause?: unknown }) {
    super(bucket === '' ? `file '${key}' does not exist` : `object s3://${bucket}/${key} does not exist`, options);
  }
}

/** No published model for a name (no LATEST), or its artifact is unreadable. */
export class UnknownModelError extends ResidualError {
  readonly code = 'UNKNOWN_MODEL';
  readonly retryable = false;

  constructor(readonly model: string, detail: string, options?: { cause?: unknown }) {
    super(`unknown model '${model}': ${detail}`, options);
  }
}

/** A transient storage failure that survived every retry: the record must fail so SQS can redeliver it. */
export class TransientStoreError extends ResidualError {
  readonly code = 'STORE_UNAVAILABLE';
  readonly retryable = true;
}

/**
 * A model artifact that cannot be used: an invalid LATEST pointer, an unreadable or truncated ONNX file,
 * a manifest that disagrees with its ONNX graph, or an ONNX file name that leaves the artifact. The
 * message names the file and, for a disagreement, the field. Retrying cannot fix it: objects are quarantined.
 */
export class ModelArtifactError extends ResidualError {
  readonly code = 'INVALID_MODEL';
  readonly retryable = false;
}

/** The invocation ran out of time (Lambda deadline or an abort) before the object was written. */
export class DeadlineError extends ResidualError {
  readonly code = 'DEADLINE_EXCEEDED';
  /** a later invocation starts with a fresh deadline */
  readonly retryable = true;
}

/**
 * A conditional write (`ObjectStore.putIf`) whose condition failed: another writer replaced or created the
 * object first (S3 412 PreconditionFailed or 409 ConditionalRequestConflict), or the object it expected is gone.
 * Retryable: a retry reads the object again and decides afresh.
 */
export class PreconditionFailedError extends ResidualError {
  readonly code = 'PRECONDITION_FAILED';
  readonly retryable = true;

  constructor(readonly bucket: string, readonly key: string, options?: { cause?: unknown }) {
    super(`conditional write to ${bucket === '' ? key : `s3://${bucket}/${key}`} lost to another writer`, options);
  }
}
