import { ResidualError } from '../core/errors';

/** A required environment variable is missing. */
export class ConfigError extends ResidualError {}
