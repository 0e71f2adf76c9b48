// Issue 12.5: ObjectStore.putIf (S3 conditional writes) on the file store and on moto's S3; s3rver 3.7
// ignores If-Match / If-None-Match on PutObject (pinned below, so the day it honours them shows up).
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileObjectStore } from '../../storage/adapters/file-object-store';
import { startLocalS3, type LocalS3 } from '../../storage/adapters/local-s3-server';
import { createS3Client } from '../../storage/adapters/s3-client';
import { S3ObjectStore } from '../../storage/adapters/s3-object-store';
import { PreconditionFailedError } from '../../storage/errors';
import type { ObjectStore } from '../../storage/object-store';
import { motoAvailable, startMoto, type MotoServer } from '../e2e/moto-server';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

function contract(name: string, setup: () => Promise<{ store: ObjectStore; bucket: string }>) {
  describe(`putIf / getTagged on ${name}`, () => {
    let store: ObjectStore;
    let bucket: string;
    let n = 0;
    const loc = () => ({ bucket, key: `state/m/v1/series-${n}.json` });
    beforeAll(async () => ({ store, bucket } = await setup()), 60_000);
    beforeEach(() => void n++);

    test('a missing object reads as null; If-None-Match: * creates it once, a second create loses', async () => {
      expect(await store.getTagged(loc())).toBeNull();
      const { etag } = await store.putIf(loc(), 'first', { ifNoneMatch: '*' });
      const got = await store.getTagged(loc());
      expect(got && { body: text(got.bytes), etag: got.etag }).toEqual({ body: 'first', etag });
      await expect(store.putIf(loc(), 'second', { ifNoneMatch: '*' })).rejects.toBeInstanceOf(PreconditionFailedError);
      expect(text(await store.getBytes(loc()))).toBe('first');
    });

    test('If-Match with the current ETag replaces the object; a stale ETag loses and changes nothing', async () => {
      const first = await store.putIf(loc(), 'one', { ifNoneMatch: '*' });
      const second = await store.putIf(loc(), 'two', { ifMatch: first.etag });
      expect(second.etag).not.toBe(first.etag);
      expect((await store.getTagged(loc()))!.etag).toBe(second.etag);
      const err = await store.putIf(loc(), 'three', { ifMatch: first.etag }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PreconditionFailedError);
      expect((err as PreconditionFailedError).code).toBe('PRECONDITION_FAILED');
      expect(text(await store.getBytes(loc()))).toBe('two');
    });

    test('If-Match on an object that does not exist loses', async () => {
      await expect(store.putIf(loc(), 'x', { ifMatch: '"0123"' })).rejects.toBeInstanceOf(PreconditionFailedError);
      expect(await store.getTagged(loc())).toBeNull();
    });

    test('of writers racing from the same ETag, exactly one wins', async () => {
      const { etag } = await store.putIf(loc(), 'base', { ifNoneMatch: '*' });
      const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => store.putIf(loc(), `w${i}`, { ifMatch: etag })));
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(PreconditionFailedError);
      const winner = results.findIndex((r) => r.status === 'fulfilled');
      expect(text(await store.getBytes(loc()))).toBe(`w${winner}`);
    });
  });
}

let dir: string;
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'residual-putif-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));

contract('the file store', async () => ({ store: new FileObjectStore(dir), bucket: 'results' }));

describe('the file store', () => {
  test('leaves no temporary or lock file behind, and frees a lock left by a dead writer', async () => {
    const store = new FileObjectStore(dir);
    const loc = { bucket: 'locks', key: 's.json' };
    await store.putIf(loc, 'a', { ifNoneMatch: '*' });
    await expect(store.putIf(loc, 'b', { ifNoneMatch: '*' })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(await readdir(join(dir, 'locks'))).toEqual(['s.json']);
    const lock = join(dir, 'locks', 's.json.lock');
    await writeFile(lock, '');
    const { etag } = (await store.getTagged(loc))!;
    await expect(store.putIf(loc, 'c', { ifMatch: etag })).rejects.toBeInstanceOf(PreconditionFailedError);
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    await store.putIf(loc, 'c', { ifMatch: etag });
    expect(text(await store.getBytes(loc))).toBe('c');
    expect(await readdir(join(dir, 'locks'))).toEqual(['s.json']);
  });
});

describe('on moto', () => {
  let moto: MotoServer;
  let client: S3Client;
  afterAll(async () => {
    client?.destroy();
    await moto?.stop();
  });
  contract('moto S3', async () => {
    if (!motoAvailable()) throw new Error("moto is not installed: pip install 'moto[server]' (python3 -m moto.server)");
    moto = await startMoto();
    client = createS3Client({ endpoint: moto.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    await client.send(new CreateBucketCommand({ Bucket: 'results' }));
    return { store: new S3ObjectStore(client), bucket: 'results' };
  });
});

describe('s3rver (the local S3 server of the demo and the e2e tests)', () => {
  let s3: LocalS3;
  let client: S3Client;
  beforeAll(async () => {
    s3 = await startLocalS3({ directory: join(dir, 's3rver'), buckets: ['results'] });
    client = createS3Client({ endpoint: s3.endpoint, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  });
  afterAll(async () => {
    client?.destroy();
    await s3?.close();
  });

  test('ignores If-None-Match: * on PutObject (no conditional writes): the state tests run on moto and the file store', async () => {
    const store = new S3ObjectStore(client);
    const loc = { bucket: 'results', key: 'x.json' };
    await store.putIf(loc, 'a', { ifNoneMatch: '*' });
    await store.putIf(loc, 'b', { ifNoneMatch: '*' });
    expect(text(await store.getBytes(loc))).toBe('b');
    expect((await store.getTagged(loc))!.etag).toMatch(/^"[0-9a-f]{32}"$/);
  });
});
