import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Manifest } from '../../core/manifest';
import { createOnnxDecoder } from '../../scoring/adapters/onnx-decoder';
import { createOnnxScorer } from '../../scoring/adapters/onnx-scorer';
import { main } from '../../cli/main';
import { FileObjectStore } from '../../storage/adapters/file-object-store';
import { ModelArtifactError } from '../../storage/errors';
import { loadModelArtifact } from '../../storage/artifact/load-model-artifact';
import { ModelRepository } from '../../storage/artifact/model-repository';
import { fixedModelArtifact } from '../scoring/fixtures/fixed-model';

// Real files on disk and real onnxruntime sessions; the repository reads a folder laid out as a bucket.
let dir: string;
const scorer = (onnx: Uint8Array, m: Manifest) => createOnnxScorer(onnx, m);
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'residual-model-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function writeArtifact(folder: string, manifest: unknown, onnx: Uint8Array, files: Record<string, string | Uint8Array> = {}) {
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'manifest.json'), JSON.stringify(manifest));
  await writeFile(join(folder, 'model.onnx'), onnx);
  for (const [name, body] of Object.entries(files)) await writeFile(join(folder, name), body);
}
const load = (key: string) => loadModelArtifact(new FileObjectStore(), { bucket: '', key }, scorer);

describe('a manifest that disagrees with its ONNX graph is refused on load, naming the field', () => {
  test('feature count: manifest says F=4, model.onnx input x has 3', async () => {
    const { manifest, onnx } = await fixedModelArtifact({ features: ['a', 'b', 'c'] });
    const scaler = { ...manifest.scaler, offset: [0, 0, 0, 0], scale: [1, 1, 1, 1] };
    const wrong = { ...manifest, features: ['a', 'b', 'c', 'd'], scaler };
    await writeArtifact(join(dir, 'm'), wrong, onnx);
    const err = await load(join(dir, 'm')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelArtifactError);
    expect((err as Error).message).toContain('manifest says F=4, model.onnx input x has 3');
    expect((err as Error).message).toContain(join(dir, 'm'));
  });

  test('window: manifest says T=5, model.onnx input x has 4', async () => {
    const { manifest, onnx } = await fixedModelArtifact({ features: ['a', 'b'], window: 4 });
    await writeArtifact(join(dir, 'w'), { ...manifest, window: { size: 5, stride: 1 } }, onnx);
    await expect(load(join(dir, 'w'))).rejects.toThrow('manifest says T=5, model.onnx input x has 4');
  });

  test('latent_dim: manifest says latent_dim=2, model.onnx has no output latent', async () => {
    const { manifest, onnx } = await fixedModelArtifact({ features: ['a', 'b'] });
    await writeArtifact(join(dir, 'l'), { ...manifest, latent_dim: 2 }, onnx);
    await expect(load(join(dir, 'l'))).rejects.toThrow("manifest says latent_dim=2, model.onnx has no output 'latent'");
  });

  test('the model repository (Lambda) refuses the same disagreement with a ModelArtifactError', async () => {
    const { manifest, onnx } = await fixedModelArtifact({ name: 'plant', features: ['a', 'b', 'c'] });
    const wrong = { ...manifest, features: ['a', 'b'], scaler: { ...manifest.scaler, offset: [0, 0], scale: [1, 1] } };
    await writeArtifact(join(dir, 'bucket', 'models', 'plant', 'v1'), wrong, onnx);
    await writeFile(join(dir, 'bucket', 'models', 'plant', 'LATEST'), 'v1');
    const repo = new ModelRepository({ store: new FileObjectStore(dir), bucket: 'bucket', createScorer: scorer });
    const err = await repo.load('plant').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelArtifactError);
    expect((err as Error).message).toMatch(/^s3:\/\/bucket\/models\/plant\/v1\/: manifest says F=2, model.onnx input x has 3/);
  });
});

describe('an unreadable model.onnx is reported naming the file', () => {
  test.each([
    ['truncated', (b: Uint8Array) => b.subarray(0, Math.floor(b.length / 2))],
    ['garbage', () => new TextEncoder().encode('this is not a protobuf at all')],
  ])('a %s model.onnx', async (_name, damage) => {
    const { manifest, onnx } = await fixedModelArtifact({ features: ['a', 'b'] });
    await writeArtifact(join(dir, 'g'), manifest, damage(onnx));
    const err = await load(join(dir, 'g')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelArtifactError);
    expect((err as Error).message).toContain(`${join(dir, 'g')}: model.onnx is not a loadable ONNX model`);
    expect((err as Error).message).not.toMatch(/protobuf/);
  });

  test('a garbage decoder ONNX file is named too', async () => {
    await expect(createOnnxDecoder(new Uint8Array([1, 2, 3]), 'decoder.onnx')).rejects.toThrow('decoder.onnx is not a loadable ONNX model');
  });
});

describe('onnx.file must be a plain file name inside the artifact', () => {
  test.each(['../secret.onnx', '/etc/secret.onnx', 'sub/model.onnx', '..', '.hidden'])('%s is refused', async (file) => {
    const { manifest, onnx } = await fixedModelArtifact({ features: ['a', 'b'] });
    await writeFile(join(dir, 'secret.onnx'), onnx);
    await writeArtifact(join(dir, 'm'), { ...manifest, onnx: { ...manifest.onnx, file } }, onnx);
    const err = await load(join(dir, 'm')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelArtifactError);
    expect((err as Error).message).toContain('onnx.file must be a plain file name inside the artifact');
  });
});

describe('an invalid LATEST errors at once, naming the file', () => {
  const bad = ['', '.', '..', 'a/b', '  ', 'v 1'];
  test.each(bad)('the local loader refuses LATEST %j', async (text) => {
    const { manifest, onnx } = await fixedModelArtifact({ features: ['a', 'b'] });
    await writeArtifact(join(dir, 'models', 'plant', 'v1'), manifest, onnx);
    await writeFile(join(dir, 'models', 'plant', 'LATEST'), text);
    const started = Date.now();
    const err = await load(join(dir, 'models', 'plant')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelArtifactError);
    expect((err as Error).message).toContain(`${join(dir, 'models', 'plant', 'LATEST')} does not hold a version name`);
    expect(Date.now() - started).toBeLessThan(2000);
  }, 5000);

  test.each(bad)('the model repository refuses LATEST %j', async (text) => {
    await mkdir(join(dir, 'bucket', 'models', 'plant'), { recursive: true });
    await writeFile(join(dir, 'bucket', 'models', 'plant', 'LATEST'), text);
    const repo = new ModelRepository({ store: new FileObjectStore(dir), bucket: 'bucket', createScorer: scorer });
    const err = await repo.load('plant').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelArtifactError);
    expect((err as Error).message).toContain('s3://bucket/models/plant/LATEST does not hold a version name');
  });

  test('a valid LATEST with surrounding whitespace is followed', async () => {
    const { manifest, onnx } = await fixedModelArtifact({ features: ['a', 'b'] });
    await writeArtifact(join(dir, 'models', 'plant', 'v1'), manifest, onnx);
    await writeFile(join(dir, 'models', 'plant', 'LATEST'), ' v1\n');
    const model = await load(join(dir, 'models', 'plant'));
    expect(model.manifest.features).toEqual(['a', 'b']);
    await model.scorer.release();
  });
});

describe('residual score exits 1 with a one-line message naming the file', () => {
  let stderr: string[];
  const write = process.stderr.write.bind(process.stderr);
  beforeEach(() => {
    stderr = [];
    process.stderr.write = ((chunk: string | Uint8Array) => (stderr.push(String(chunk)), true)) as typeof process.stderr.write;
  });
  afterEach(() => {
    process.stderr.write = write;
  });
  const score = async (model: string) => {
    const input = join(dir, 'in.csv');
    await writeFile(input, 'a,b\n1,2\n');
    return main(['score', '--model', model, '--input', input, '--output', join(dir, 'out.csv')]);
  };

  test('an empty LATEST', async () => {
    await mkdir(join(dir, 'models', 'plant'), { recursive: true });
    await writeFile(join(dir, 'models', 'plant', 'LATEST'), '');
    expect(await score(join(dir, 'models', 'plant'))).toBe(1);
    expect(stderr.join('')).toContain(`${join(dir, 'models', 'plant', 'LATEST')} does not hold a version name`);
  }, 10_000);

  test('a manifest that disagrees with model.onnx', async () => {
    const { manifest, onnx } = await fixedModelArtifact({ features: ['a', 'b'] });
    await writeArtifact(join(dir, 'm'), { ...manifest, latent_dim: 3 }, onnx);
    expect(await score(join(dir, 'm'))).toBe(1);
    expect(stderr.join('')).toMatch(/^residual score: .*manifest says latent_dim=3, model.onnx has no output 'latent'\n$/);
  });
});
