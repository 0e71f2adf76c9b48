import { link, mkdtemp, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { scoreFile } from '../../cli/commands/score';
import { FileObjectStore } from '../../storage/adapters/file-object-store';

const MODEL = join(__dirname, '../../models/sensors');
const SAMPLE = join(__dirname, '../../models/sensors-sample.csv');

let dir: string;
let sample: string[];
beforeAll(async () => {
  sample = (await readFile(SAMPLE, 'utf8')).trimEnd().split('\n');
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'residual-atomic-'));
});

/** A CSV of `copies` × the sample's rows, then one line holding a byte that is not UTF-8. */
async function lateNotUtf8(path: string, copies: number): Promise<number> {
  const body = [sample[0]!, ...Array.from({ length: copies }, () => sample.slice(1)).flat()].join('\n') + '\n';
  const bad = Buffer.concat([Buffer.from(body), Buffer.from('2026-02-01T00:00:00.000Z,1,2,3,4,5,6,7,'), Buffer.from([0xff, 0x0a])]);
  await writeFile(path, bad);
  return bad.length;
}

describe('local outputs are written whole or not at all', () => {
  test('a fatal NOT_UTF8 late in the input leaves no partial output, no summary and no temporary file', async () => {
    const input = join(dir, 'late.csv');
    const bytes = await lateNotUtf8(input, 30);
    expect(bytes).toBeGreaterThan(2_000_000);
    const output = join(dir, 'scored.csv');
    await expect(scoreFile({ model: MODEL, input, output })).rejects.toThrow(/UTF-8/);
    expect((await readdir(dir)).sort()).toEqual(['late.csv']);
  });

  test('a fatal error at the first chunk leaves no 0-byte output file', async () => {
    const input = join(dir, 'narrow.csv');
    await writeFile(input, 'timestamp,sensor_0\nx,1\n');
    await expect(scoreFile({ model: MODEL, input, output: join(dir, 'out.csv') })).rejects.toThrow(/missing column/);
    expect(await readdir(dir)).toEqual(['narrow.csv']);
  });

  test('a failed run leaves the previous output file byte for byte as it was', async () => {
    const input = join(dir, 'late.csv');
    await lateNotUtf8(input, 30);
    const output = join(dir, 'scored.csv');
    await writeFile(output, 'the previous results\n');
    await expect(scoreFile({ model: MODEL, input, output })).rejects.toThrow(/UTF-8/);
    expect(await readFile(output, 'utf8')).toBe('the previous results\n');
    expect((await readdir(dir)).sort()).toEqual(['late.csv', 'scored.csv']);
  });

  test('FileObjectStore.put of a stream that fails midway leaves neither the file nor a temporary one', async () => {
    const store = new FileObjectStore();
    async function* body() {
      yield Buffer.alloc(3 << 20, 0x61);
      throw new Error('source failed');
    }
    await expect(store.put({ bucket: '', key: join(dir, 'model.onnx') }, Readable.from(body()))).rejects.toThrow('source failed');
    expect(await readdir(dir)).toEqual([]);
  });

  test('FileObjectStore.put that fails before reading its stream rejects with the cause and disposes of the stream', async () => {
    const store = new FileObjectStore();
    await writeFile(join(dir, 'file'), 'x');
    const body = new PassThrough();
    await expect(store.put({ bucket: '', key: join(dir, 'file', 'out.csv') }, body))
      .rejects.toMatchObject({ code: expect.stringMatching(/^E(EXIST|NOTDIR)$/) });
    // the producer's own clean-up must not become an unhandled 'error' event that kills the process
    body.destroy(new Error('producer gave up'));
    await new Promise((r) => setImmediate(r));
    expect(body.destroyed).toBe(true);
    expect(await readdir(dir)).toEqual(['file']);
  });

  test('FileObjectStore.put replaces a file only once the new content is complete', async () => {
    const store = new FileObjectStore();
    const target = join(dir, 'manifest.json');
    await writeFile(target, 'old');
    let sawOld = false;
    async function* body() {
      yield Buffer.from('new ');
      await new Promise((r) => setTimeout(r, 20));
      sawOld = (await readFile(target, 'utf8')) === 'old';
      yield Buffer.from('content');
    }
    await store.put({ bucket: '', key: target }, Readable.from(body()));
    expect(sawOld).toBe(true);
    expect(await readFile(target, 'utf8')).toBe('new content');
    expect(await readdir(dir)).toEqual(['manifest.json']);
  });
});

describe('score refuses an output that would overwrite its input', () => {
  const refused = /is the input .*choose another output name/;

  test('the same path, written differently, is refused and the input is left as it was', async () => {
    const input = join(dir, 'in.csv');
    await writeFile(input, sample.join('\n') + '\n');
    const before = await readFile(input);
    await expect(scoreFile({ model: MODEL, input, output: join(dir, '.', 'sub', '..', 'in.csv') })).rejects.toThrow(refused);
    expect((await readFile(input)).equals(before)).toBe(true);
    expect(await readdir(dir)).toEqual(['in.csv']);
  });

  test('a hard link to the input (same inode) is refused', async () => {
    const input = join(dir, 'in.csv');
    await writeFile(input, sample.join('\n') + '\n');
    await link(input, join(dir, 'alias.csv'));
    await expect(scoreFile({ model: MODEL, input, output: join(dir, 'alias.csv') })).rejects.toThrow(refused);
    expect((await stat(input)).size).toBe(Buffer.byteLength(sample.join('\n') + '\n'));
  });

  test('a symbolic link to the input is refused', async () => {
    const input = join(dir, 'in.csv');
    await writeFile(input, sample.join('\n') + '\n');
    await symlink(input, join(dir, 'link.csv'));
    await expect(scoreFile({ model: MODEL, input, output: join(dir, 'link.csv') })).rejects.toThrow(refused);
    expect((await readFile(input, 'utf8')).split('\n')[1]).toBe(sample[1]);
  });

  test("an output whose .errors.ndjson companion is the input is refused", async () => {
    const input = join(dir, 'r.csv.errors.ndjson');
    const rows = sample.slice(1, 20).map((l) => {
      const [timestamp, ...v] = l.split(',');
      return JSON.stringify({ timestamp, ...Object.fromEntries(v.map((x, j) => [`sensor_${j}`, Number(x)])) });
    });
    rows.push(JSON.stringify({ timestamp: 'x', sensor_0: 'not a number' }));
    await writeFile(input, rows.join('\n') + '\n');
    const before = await readFile(input);
    await expect(scoreFile({ model: MODEL, input, output: join(dir, 'r.csv') })).rejects.toThrow(/\.errors\.ndjson.*is the input/);
    expect((await readFile(input)).equals(before)).toBe(true);
  });
});
