import { types } from 'node:util';
import { ResidualError } from '../core/errors';
import { UsageError } from '../core/usage-error';

/** The CLI's exit codes (documented in README via notes/cli-docs.md). */
export const EXIT = {
  ok: 0,
  /** bad input the user can fix: a file, a value, a model, data that cannot be used; the message says which */
  userError: 1,
  /** a command line that cannot be parsed: unknown flag or command, missing or malformed value */
  usage: 2,
  /** a bug in residual (EX_SOFTWARE from sysexits.h): the stack is printed */
  internal: 70,
} as const;

/**
 * Prints one line `residual <command>: <message>` for an error the user can act on and returns its exit
 * code; anything else is a programming error: it prints the stack and returns EXIT.internal, so a
 * TypeError is never passed off as bad input. `RESIDUAL_DEBUG=1` adds the stack to user errors too.
 */
export function reportError(command: string, err: unknown, write: (s: string) => void, env: NodeJS.ProcessEnv = process.env): number {
  const prefix = `residual ${command}: `;
  const line = (message: string) => prefix + (message.startsWith(prefix) ? message.slice(prefix.length) : message);
  const debug = (e: Error) => {
    if (env.RESIDUAL_DEBUG) write(`${e.stack}\n`);
  };
  if (err instanceof UsageError) {
    write(`${line(err.message)}\nRun 'residual ${command} --help' for its flags.\n`);
    debug(err);
    return EXIT.usage;
  }
  if (err instanceof ResidualError || isSystemError(err)) {
    write(`${line(err.message)}\n`);
    debug(err);
    return EXIT.userError;
  }
  if (isAwsServiceError(err)) {
    write(`${line(`S3 refused the request: ${err.name}${err.message ? ` (${err.message})` : ''}`)}\n`);
    debug(err);
    return EXIT.userError;
  }
  const stack = isError(err) ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
  write(`${prefix}internal error (a bug in residual; please report it with the lines below)\n${stack}\n`);
  return EXIT.internal;
}

/** An error from the operating system about a file (ENOENT, EACCES, EISDIR, ENOSPC, …): the user's to fix. */
function isSystemError(err: unknown): err is Error & { code: string; syscall: string } {
  return isError(err) && typeof (err as { code?: unknown }).code === 'string' && typeof (err as { syscall?: unknown }).syscall === 'string';
}

/** An AWS SDK service exception (AccessDenied, NoSuchBucket, …): a matter of credentials or names, not a bug. */
function isAwsServiceError(err: unknown): err is Error {
  const e = err as { $metadata?: unknown; $fault?: unknown } | null;
  return isError(err) && typeof e?.$metadata === 'object' && (e.$fault === 'client' || e.$fault === 'server');
}

/** An Error from any realm (Node's own errors are not `instanceof Error` inside a vm context such as jest's). */
function isError(err: unknown): err is Error {
  return err instanceof Error || types.isNativeError(err);
}
