import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, link, mkdir, open, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ObjectNotFoundError, PreconditionFailedError } from '../errors';
import type { ObjectLocation, ObjectStore, PutCondition, RandomAccessObject, TaggedObject } from '../object-store';

/**
 * ObjectStore over a local folder: bucket '' means "paths as given" (the CLI on local files),
 * any other bucket is a sub-folder of `root`. Writes (`put`, `copy`) go to a temporary file beside the
 * target and are renamed into place only once complete, so a failed write leaves neither a partial nor an
 * empty file, and an existing file is replaced whole or not at all.
 */
export class FileObjectStore implements ObjectStore {
  constructor(private readonly root = '.') {}

  path(loc: ObjectLocation): string {
    return loc.bucket === '' ? resolve(loc.key) : join(resolve(this.root), loc.bucket, loc.key);
  }

  async get(loc: ObjectLocation) {
    const path = this.path(loc);
    const info = await this.stat(loc);
    return { body: createReadStream(path, { highWaterMark: 1 << 20 }), size: info.size, metadata: {} };
  }

  async getBytes(loc: ObjectLocation): Promise<Uint8Array> {
    await this.stat(loc);
    return readFile(this.path(loc));
  }

  async put(loc: ObjectLocation, body: Readable | Uint8Array | string): Promise<void> {
    try {
      await writeAtomically(this.path(loc), async (tmp) => {
        if (typeof body === 'string' || body instanceof Uint8Array) await writeFile(tmp, body, { flag: 'wx' });
        else await pipeline(body, createWriteStream(tmp, { flags: 'wx', highWaterMark: 1 << 20 }));
      });
    } catch (err) {
      // a put that failed before it read the stream (mkdir under a file, no permission) disposes of it, so the
      // producer's later destroy(err) is not an unhandled 'error' event; the error is the rejection below
      if (body instanceof Readable) body.on('error', () => undefined).destroy();
      throw err;
    }
  }

  async copy(from: ObjectLocation, to: ObjectLocation): Promise<void> {
    await this.stat(from);
    await writeAtomically(this.path(to), (tmp) => copyFile(this.path(from), tmp));
  }

  /** `rm -f`: a missing file is not an error; a folder at that path is refused (never removed recursively). */
  async delete(loc: ObjectLocation): Promise<void> {
    await rm(this.path(loc), { force: true });
  }

  async open(loc: ObjectLocation): Promise<RandomAccessObject> {
    const info = await this.stat(loc);
    const handle = await open(this.path(loc), 'r');
    return {
      byteLength: info.size,
      metadata: {},
      slice: async (start: number, end?: number) => {
        const length = Math.max(0, (end ?? info.size) - start);
        const buf = Buffer.allocUnsafe(length);
        await handle.read(buf, 0, length, start);
        return buf.buffer.slice(buf.byteOffset, buf.byteOffset + length) as ArrayBuffer;
      },
      close: () => handle.close(),
    };
  }

  /** The ETag of a file is the quoted MD5 of its bytes (what S3 gives a single-part upload). */
  async getTagged(loc: ObjectLocation): Promise<TaggedObject | null> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(this.path(loc));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return { bytes, etag: etagOf(bytes) };
  }

  /**
   * Compare-and-rename: the new bytes go to a temporary file; under `<file>.lock` (created with O_EXCL, so
   * one conditional writer at a time) the current file's ETag is checked and the temporary file renamed into
   * place (`ifMatch`) or hard-linked to a name that must not exist (`ifNoneMatch: '*'`, atomic even without
   * the lock). A held lock is a lost race (PreconditionFailedError, as S3's 409); a lock older than
   * STALE_LOCK_MS (a writer that died holding it) is removed. Plain `put`s do not take the lock.
   */
  async putIf(loc: ObjectLocation, body: Uint8Array | string, condition: PutCondition): Promise<{ etag: string }> {
    const path = this.path(loc);
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const lost = (cause?: unknown) => new PreconditionFailedError(loc.bucket, loc.key, { cause });
    await mkdir(dirname(path), { recursive: true });
    const release = await takeLock(`${path}.lock`, lost);
    const tmp = tempName(path);
    try {
      await writeFile(tmp, bytes, { flag: 'wx' });
      if ('ifNoneMatch' in condition) {
        await link(tmp, path).catch((err: NodeJS.ErrnoException) => {
          throw err.code === 'EEXIST' ? lost(err) : err;
        });
      } else {
        const current = await this.getTagged(loc);
        if (current === null || current.etag !== condition.ifMatch) throw lost();
        await rename(tmp, path);
      }
    } finally {
      await unlink(tmp).catch(() => undefined);
      await release();
    }
    return { etag: etagOf(bytes) };
  }

  private async stat(loc: ObjectLocation) {
    try {
      return await stat(this.path(loc));
    } catch (cause) {
      throw new ObjectNotFoundError(loc.bucket, loc.key, { cause });
    }
  }
}

/**
 * Runs `write` on a fresh temporary name in `path`'s folder (same file system, so the rename is atomic),
 * then renames it to `path`; on any failure the temporary file is removed and the error rethrown.
 */
async function writeAtomically(path: string, write: (tmp: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempName(path);
  try {
    await write(tmp);
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

const tempName = (path: string) =>
  join(dirname(path), `.${basename(path).slice(0, 200)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);

const etagOf = (bytes: Uint8Array) => `"${createHash('md5').update(bytes).digest('hex')}"`;

/** A conditional writer that died holding its lock frees it after this long. */
export const STALE_LOCK_MS = 30_000;

async function takeLock(lock: string, lost: (cause?: unknown) => Error): Promise<() => Promise<void>> {
  for (let attempt = 0; ; attempt++) {
    try {
      await (await open(lock, 'wx')).close();
      return () => unlink(lock).catch(() => undefined);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (attempt > 0 || age < STALE_LOCK_MS) throw lost(err);
      await unlink(lock).catch(() => undefined);
    }
  }
}
