import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ObjectNotFoundError } from '../errors';
import type { ObjectLocation, ObjectStore, RandomAccessObject } from '../services/ports';

/**
 * ObjectStore over a local folder: bucket '' means "paths as given" (the CLI on local files),
 * any other bucket is a sub-folder of `root`.
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
    const path = this.path(loc);
    await mkdir(dirname(path), { recursive: true });
    if (typeof body === 'string' || body instanceof Uint8Array) {
      await writeFile(path, body);
      return;
    }
    await pipeline(body, createWriteStream(path, { highWaterMark: 1 << 20 }));
  }

  async copy(from: ObjectLocation, to: ObjectLocation): Promise<void> {
    await this.stat(from);
    await mkdir(dirname(this.path(to)), { recursive: true });
    await copyFile(this.path(from), this.path(to));
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

  private async stat(loc: ObjectLocation) {
    try {
      return await stat(this.path(loc));
    } catch (cause) {
      throw new ObjectNotFoundError(loc.bucket, loc.key, { cause });
    }
  }
}
