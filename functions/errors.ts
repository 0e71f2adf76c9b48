import { ResidualError } from '../core/errors';

/** A required environment variable is missing. */
export class ConfigError extends ResidualError {
  readonly code = 'CONFIG_MISSING';
  /** a redeploy with the variable set is needed */
  readonly retryable = false;
}
