import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, gunzipSync } from 'node:zlib';
import { InputError } from '../core/errors';
import type { TableFormat } from '../core/io';
import type { ObjectLocation, ObjectStore, RandomAccessObject } from '../storage/object-store';
import { ERRORS_SUFFIX, SUMMARY_SUFFIX } from '../scoring/write-scored-output';

/** The path that means stdin (as an input) or stdout (as an output). */
export const STDIO = '-';
export const isStdio = (uri: string): boolean => uri === STDIO;

/** Bytes that may come before a table's first character: white space and a UTF-8 byte-order mark. */
const BLANK = new Set([0x20, 0x0a, 0x0d, 0x09, 0xef, 0xbb, 0xbf]);

export interface StdinTable {
  format: TableFormat;
  gzip: boolean;
  body: AsyncIterable<Uint8Array>;
}

/**
 * Reads stdin's first bytes to tell its format, since a pipe has no extension: gzip by its magic bytes, then
 * JSON Lines when the first non-blank byte is `{`, CSV otherwise. Parquet is refused (it needs random access).
 * The body still starts with the bytes that were looked at.
 */
export async function openStdin(stream: AsyncIterable<Uint8Array> = process.stdin): Promise<StdinTable> {
  const it = stream[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let seen = Buffer.alloc(0);
  let first: number | undefined;
  let gzip = false;
  const sniff = () => {
    gzip = seen[0] === 0x1f && seen[1] === 0x8b;
    if (seen.subarray(0, 4).toString('latin1') === 'PAR1') {
      throw new InputError('Parquet cannot be read from stdin (it needs random access): give a file or an s3:// path');
    }
    first = (gzip ? partialGunzip(seen) : seen).find((b) => !BLANK.has(b));
  };
  for (let r = await it.next(); !r.done; r = await it.next()) {
    head.push(r.value);
    seen = Buffer.concat([seen, r.value]);
    if (seen.length < 4) continue;
    sniff();
    if (first !== undefined || seen.length > 1 << 20) break;
  }
  if (first === undefined) sniff();
  const body = (async function* () {
    yield* head;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  })();
  return { format: first === 0x7b ? 'jsonl' : 'csv', gzip, body };
}

function partialGunzip(bytes: Buffer): Buffer {
  try {
    return gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch (cause) {
    throw new InputError('stdin starts like gzip but cannot be decompressed', { cause });
  }
}

/**
 * An ObjectStore over stdin and stdout for `-`: the input is read from stdin (once), the output written to
 * stdout, the rejected rows' report (`-.errors.ndjson`) to stderr as JSON lines, and the summary
 * (`-.summary.json`) is kept in `summary` (score prints the same object on stderr itself). Nothing written to a pipe can be taken back, so
 * delete is a no-op: a failed run says so through its exit code.
 */
export class StdioStore implements ObjectStore {
  /** the `<output>.summary.json` text, once written */
  summary: string | null = null;
  private stdinUsed = false;

  constructor(
    private readonly io: { stdin?: AsyncIterable<Uint8Array>; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } =
    { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
  ) {}

  async get(loc: ObjectLocation) {
    if (loc.key !== STDIO || !this.io.stdin || this.stdinUsed) {
      throw new InputError(`'${loc.key}' cannot be read here: stdin is read once, as '-'`);
    }
    this.stdinUsed = true;
    return { body: this.io.stdin, size: undefined, metadata: {} };
  }

  async getBytes(loc: ObjectLocation): Promise<Uint8Array> {
    throw new InputError(`'${loc.key}' cannot be read: '-' is a stream`);
  }

  async put(loc: ObjectLocation, body: Readable | Uint8Array | string): Promise<void> {
    if (loc.key === `${STDIO}${SUMMARY_SUFFIX}`) {
      this.summary = typeof body === 'string' || body instanceof Uint8Array ? Buffer.from(body).toString('utf8') : await text(body);
      return;
    }
    const target = loc.key === STDIO ? this.io.stdout : loc.key === `${STDIO}${ERRORS_SUFFIX}` ? this.io.stderr : null;
    if (!target) throw new InputError(`'${loc.key}' cannot be written: with '-' only the output itself goes to stdout`);
    if (typeof body === 'string' || body instanceof Uint8Array) {
      await new Promise<void>((resolve, reject) => target.write(body, (err) => (err ? reject(err) : resolve())));
      return;
    }
    await pipeline(body, target, { end: false });
  }

  async copy(from: ObjectLocation): Promise<void> {
    throw new InputError(`'${from.key}' cannot be copied: '-' is a stream`);
  }

  async delete(): Promise<void> {
    // a pipe cannot take bytes back
  }

  async open(loc: ObjectLocation): Promise<RandomAccessObject> {
    throw new InputError(`'${loc.key}': Parquet cannot be read from stdin (it needs random access): give a file or an s3:// path`);
  }

  async getTagged(loc: ObjectLocation): Promise<null> {
    throw new InputError(`'${loc.key}' cannot be read: '-' is a stream`);
  }

  async putIf(loc: ObjectLocation): Promise<{ etag: string }> {
    throw new InputError(`'${loc.key}' cannot be written conditionally: '-' is a stream`);
  }
}

async function text(body: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(parts).toString('utf8');
}
