import { mkdtemp, readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileObjectStore } from '../../storage/adapters/file-object-store';
import {
  artifactFile, DECODER_FILE, DEFAULT_ONNX_FILE, describeLocation, LATEST_FILE, latestKey, MANIFEST_FILE, modelLocation, onnxFileName,
  parseLatestPointer, readLatest, versionKey, writeArtifact, writeLatest,
} from '../../storage/artifact/layout';
import { ModelArtifactError, ObjectNotFoundError } from '../../storage/errors';
import type { ObjectLocation } from '../../storage/object-store';
import { parseManifestJson, type Manifest } from '../../core/manifest';
import { loadModelArtifact } from '../../storage/artifact/load-model-artifact';
import { trainModel } from '../../training/train';
import { createOnnxScorer } from '../../scoring/adapters/onnx-scorer';
import { correlatedRows } from '../training/synthetic';

/** A real file store that records the order of its writes. */
class RecordingStore extends FileObjectStore {
  readonly puts: string[] = [];
  override async put(loc: ObjectLocation, body: Parameters<FileObjectStore['put']>[1]): Promise<void> {
    this.puts.push(loc.key.split('/').pop()!);
    return super.put(loc, body);
  }
}

let manifest: Manifest;
let onnx: Uint8Array;

beforeAll(async () => {
  const d = correlatedRows(200, 3, 1);
  const r = await trainModel({
    kind: 'pca', data: { features: d.features, values: d.values }, backend: 'cpu', progress: 'none', seed: 1, name: 'm', version: 'v1',
  });
  manifest = r.manifest;
  onnx = r.onnx!;
  r.zoo.dispose();
});

describe('artifact layout', () => {
  it('names the keys of a version and of LATEST', () => {
    expect(versionKey('models/', 'sensors', '7')).toBe('models/sensors/7/');
    expect(latestKey('models/', 'sensors')).toBe(`models/sensors/${LATEST_FILE}`);
    expect(modelLocation({ bucket: 'b', key: 'root/' }, 'sensors')).toEqual({ bucket: 'b', key: 'root/models/sensors' });
    expect(modelLocation({ bucket: '', key: '' }, 'sensors')).toEqual({ bucket: '', key: 'models/sensors' });
    const file = artifactFile({ bucket: 'b', key: 'models/sensors/7/' }, MANIFEST_FILE);
    expect(file).toEqual({ bucket: 'b', key: `models/sensors/7/${MANIFEST_FILE}` });
    expect(describeLocation({ bucket: 'b', key: 'k' })).toBe('s3://b/k');
    expect(describeLocation({ bucket: '', key: '/tmp/k' })).toBe('/tmp/k');
    expect(manifest.onnx.file).toBe(DEFAULT_ONNX_FILE);
  });

  it('reads LATEST validated: a version name passes, a path or empty text is refused naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'residual-layout-'));
    const store = new FileObjectStore();
    const pointer = { bucket: '', key: join(dir, LATEST_FILE) };
    await expect(readLatest(store, pointer)).rejects.toBeInstanceOf(ObjectNotFoundError);
    await writeFile(pointer.key, '  v1\n');
    await expect(readLatest(store, pointer)).resolves.toBe('v1');
    for (const bad of ['', '..', '../x', 'a/b', 'a b', '.hidden']) {
      await writeFile(pointer.key, bad);
      const err = await readLatest(store, pointer).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ModelArtifactError);
      expect((err as Error).message).toContain(pointer.key);
    }
    expect(() => parseLatestPointer('ok-1.2_3', 'f')).not.toThrow();
  });

  it('writes LATEST only with a valid version name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'residual-layout-'));
    const store = new FileObjectStore();
    const pointer = { bucket: '', key: join(dir, LATEST_FILE) };
    await writeLatest(store, pointer, 'v2');
    expect(await readFile(pointer.key, 'utf8')).toBe('v2\n');
    await expect(writeLatest(store, pointer, '../v3')).rejects.toBeInstanceOf(ModelArtifactError);
    expect(await readFile(pointer.key, 'utf8')).toBe('v2\n');
  });

  it('refuses an onnx.file that leaves the artifact', () => {
    expect(onnxFileName(manifest, 'm.json')).toBe(DEFAULT_ONNX_FILE);
    for (const file of ['../secret.onnx', '/etc/x', 'a\\b', '.onnx', '']) {
      expect(() => onnxFileName({ ...manifest, onnx: { ...manifest.onnx, file } }, 'm.json')).toThrow(ModelArtifactError);
    }
  });

  it('writes the ONNX file first, extra files next, the manifest last; the loader reads it back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'residual-layout-'));
    const store = new RecordingStore();
    const extra = new Uint8Array([1, 2, 3]);
    const written = await writeArtifact(store, { bucket: '', key: dir }, { manifest, onnx, extraFiles: { [DECODER_FILE]: extra } });
    expect(store.puts).toEqual([DEFAULT_ONNX_FILE, DECODER_FILE, MANIFEST_FILE]);
    expect(written).toEqual({
      onnx: { bucket: '', key: join(dir, DEFAULT_ONNX_FILE) },
      manifest: { bucket: '', key: join(dir, MANIFEST_FILE) },
    });
    expect(parseManifestJson(await readFile(join(dir, MANIFEST_FILE), 'utf8'))).toEqual(manifest);
    expect(new Uint8Array(await readFile(join(dir, DECODER_FILE)))).toEqual(extra);
    const loaded = await loadModelArtifact(store, { bucket: '', key: dir }, (bytes, m) => createOnnxScorer(bytes, m));
    expect(loaded.manifest).toEqual(manifest);
    await loaded.scorer.release();
  });

  it('refuses bad file names before writing anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'residual-layout-'));
    await mkdir(join(dir, 'a'));
    const store = new RecordingStore();
    const at = { bucket: '', key: join(dir, 'a') };
    const escaping = { ...manifest, onnx: { ...manifest.onnx, file: '../model.onnx' } };
    await expect(writeArtifact(store, at, { manifest: escaping, onnx })).rejects.toBeInstanceOf(ModelArtifactError);
    for (const name of ['../x', MANIFEST_FILE, DEFAULT_ONNX_FILE]) {
      await expect(writeArtifact(store, at, { manifest, onnx, extraFiles: { [name]: onnx } })).rejects.toBeInstanceOf(ModelArtifactError);
    }
    expect(store.puts).toEqual([]);
    expect(await readdir(dir)).toEqual(['a']);
  });
});
