/**
 * Base class for every error residual raises on purpose. Sets `name` and keeps the `cause`. Every subclass
 * declares a stable `code` (UPPER_SNAKE, documented in docs/contract.md; the Lambda writes it to a
 * quarantine's `.error.json`) and `retryable`: whether trying the same thing again can succeed (a transient
 * storage failure, a deadline) or cannot (bad input, an unusable model). Callers branch on these, not on
 * `instanceof` ladders.
 */
export abstract class ResidualError extends Error {
  abstract readonly code: string;
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** True for an error residual raised on purpose that a retry cannot fix (quarantine, exit 1). */
export function isPermanent(err: unknown): err is ResidualError {
  return err instanceof ResidualError && err.retryable === false;
}

/** A manifest that does not match the schema; `issues` lists each problem with its path. */
export class ManifestError extends ResidualError {
  readonly code: string = 'INVALID_MANIFEST';
  readonly retryable: boolean = false;

  constructor(message: string, readonly issues: string[] = [], options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Input columns that do not match the model's features. */
export class SchemaMismatchError extends ResidualError {
  readonly code: string = 'SCHEMA_MISMATCH';
  readonly retryable: boolean = false;

  constructor(readonly missing: string[], readonly extra: string[]) {
    super(
      `input does not match the model's features: ` +
        [missing.length ? `missing column(s) ${missing.map((c) => `'${c}'`).join(', ')}` : '',
          extra.length ? `unexpected column(s) ${extra.map((c) => `'${c}'`).join(', ')}` : '']
          .filter(Boolean)
          .join('; '),
    );
  }
}

/** Bad user input (a flag, a file, a value, an argument of a library call); the message says which and why. */
export class InputError extends ResidualError {
  readonly code: string = 'INVALID_INPUT';
  readonly retryable: boolean = false;
}

/**
 * A broken invariant inside residual: a bug, never the user's input. Deliberately not a ResidualError, so
 * the CLI reports it as a bug (exit 70 with its stack) and the Lambda fails the record (SQS retries it, then
 * dead-letters it for a redrive once fixed) instead of quarantining the object as bad input.
 */
export class InternalError extends Error {
  readonly code = 'INTERNAL';
  readonly retryable = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
