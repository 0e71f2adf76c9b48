import { ResidualError } from '../core/errors';

/** A deployment parameter (a context key or a construct prop) that is missing or out of range. */
export class InfraConfigError extends ResidualError {
  readonly code = 'INVALID_INFRA_PARAMETER';
  readonly retryable = false;

  constructor(readonly parameter: string, readonly value: unknown, reason: string) {
    super(`parameter '${parameter}' ${reason}, got ${JSON.stringify(value)}`);
  }
}

/** A file the synthesizer needs (handler entry, Dockerfile, native binary) does not exist. */
export class MissingAssetError extends ResidualError {
  readonly code = 'MISSING_ASSET';
  readonly retryable = false;

  constructor(readonly path: string, what: string) {
    super(`${what} not found at '${path}'`);
  }
}

/** The infra refers to a training-job setting that training/job.ts no longer defines. */
export class JobContractError extends ResidualError {
  readonly code = 'JOB_CONTRACT';
  readonly retryable = false;

  constructor(readonly flag: string, known: readonly string[]) {
    super(`training job setting '${flag}' is not in JOB_ENVIRONMENT (training/job.ts); known: ${known.join(', ')}`);
  }
}
