/** Base class for every error residual raises on purpose. Sets `name` and keeps the `cause`. */
export class ResidualError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A manifest that does not match the schema; `issues` lists each problem with its path. */
export class ManifestError extends ResidualError {
  constructor(message: string, readonly issues: string[] = [], options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Input columns that do not match the model's features. */
export class SchemaMismatchError extends ResidualError {
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

/** Bad user input (a flag, a file, a value); the message says which and why. */
export class InputError extends ResidualError {}
