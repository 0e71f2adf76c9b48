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

/** A transient storage failure that survived every retry: the record must fail so SQS can redeliver it. */
export class TransientStoreError extends ResidualError {}

/**
 * A model artifact that cannot be used: an invalid LATEST pointer, an unreadable or truncated ONNX file,
 * a manifest that disagrees with its ONNX graph, or an ONNX file name that leaves the artifact. The
 * message names the file and, for a disagreement, the field. Retrying cannot fix it: objects are quarantined.
 */
export class ModelArtifactError extends ResidualError {}

/** The invocation ran out of time (Lambda deadline or an abort) before the object was written. */
export class DeadlineError extends ResidualError {}
