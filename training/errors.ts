import { ResidualError } from '../core/errors';

/** A requested tfjs backend that cannot be loaded here; `backend` names it. */
export class BackendUnavailableError extends ResidualError {
  constructor(readonly backend: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Training options that do not fit the data or the model kind; the message names the option. */
export class TrainingConfigError extends ResidualError {}

/** Training diverged or produced unusable output (non-finite loss, non-finite scores). */
export class TrainingFailedError extends ResidualError {}

/** A model artifact could not be written or exported. */
export class ArtifactError extends ResidualError {}
