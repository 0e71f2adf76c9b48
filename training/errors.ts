import { ResidualError } from '../core/errors';

/** A requested tfjs backend that cannot be loaded here; `backend` names it. */
export class BackendUnavailableError extends ResidualError {
  readonly code = 'BACKEND_UNAVAILABLE';
  readonly retryable = false;

  constructor(readonly backend: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Training options that do not fit the data or the model kind; the message names the option. */
export class TrainingConfigError extends ResidualError {
  readonly code = 'INVALID_TRAINING_CONFIG';
  readonly retryable = false;
}

/** Training diverged or produced unusable output (non-finite loss, non-finite scores). */
export class TrainingFailedError extends ResidualError {
  readonly code = 'TRAINING_FAILED';
  /** training is seeded: the same data and options diverge the same way */
  readonly retryable = false;
}

/** A model artifact could not be written or exported. */
export class ArtifactError extends ResidualError {
  readonly code = 'ARTIFACT_WRITE_FAILED';
  readonly retryable = false;
}
