import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { mkdtemp, readFile } from 'fs/promises';
import { tmpdir } from 'os';
import * as path from 'path';
import { Rng } from '../../core/rng';
import { writeModelArtifact } from '../storage/write-model-artifact';
import { generateSamples } from '../../training/sample';
import { runSampleCommand } from '../../cli/commands/sample';
import { FileObjectStore } from '../../storage/adapters/file-object-store';
import { sampleVae } from '../../training/models';
import { VariationalAutoencoder } from '../../training/models/vae';
import { trainModel, type TrainResult } from '../../training/train';
import { correlatedRows } from './synthetic';

describe('vae sampling', () => {
  let result: TrainResult;

  beforeAll(async () => {
    const d = correlatedRows(500, 5, 8);
    result = await trainModel({
      kind: 'vae',
      data: { features: d.features, values: d.values },
      backend: 'wasm',
      progress: 'none',
      epochs: 5,
      seed: 2,
    });
  });

  afterAll(() => result.zoo.dispose());

  it('draws the requested number of finite scaled samples', () => {
    const s = sampleVae(result.zoo, 50, new Rng(1));
    expect(s.length).toBe(50 * 5);
    expect(s.every(Number.isFinite)).toBe(true);
  });

  it('exports decoder.onnx that decodes z as the tfjs decoder does', async () => {
    const decoder = (result.zoo as VariationalAutoencoder).decoder;
    const k = result.manifest.latent_dim!;
    const z = Float32Array.from({ length: 7 * k }, (_, i) => Math.sin(i));
    const want = tf.tidy(() => (decoder.predict(tf.tensor(z, [7, k])) as tf.Tensor).dataSync() as Float32Array);
    const session = await ort.InferenceSession.create(result.extraFiles['decoder.onnx']!);
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', z, [7, k]) });
    await session.release();
    const got = out[session.outputNames[0]!]!.data as Float32Array;
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 4);
  });

  it('writes decoder.onnx beside model.onnx', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'residual-vae-'));
    await writeModelArtifact(result, dir);
    expect(new Uint8Array(await readFile(path.join(dir, 'decoder.onnx')))).toEqual(result.extraFiles['decoder.onnx']);
  });
});

describe('generateSamples', () => {
  it('decodes seeded draws and maps them back to raw units with the scaler', async () => {
    const manifest = {
      kind: 'vae',
      name: 'm',
      latent_dim: 2,
      features: ['a', 'b'],
      window: null,
      scaler: { kind: 'standard', offset: [10, 20], scale: [2, 4] },
    };
    const decode = async (z: Float32Array, n: number): Promise<Float32Array> => Float32Array.from({ length: n * 2 }, (_, i) => z[i]!);
    const a = await generateSamples(manifest as never, decode, 3, 9);
    const b = await generateSamples(manifest as never, decode, 3, 9);
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    const z = new Rng(9);
    const first = z.normal();
    expect(a.values[0]).toBeCloseTo(first * 2 + 10, 5);
  });

  it('refuses a model that is not a vae, naming its kind', async () => {
    await expect(generateSamples({ kind: 'pca' } as never, async () => new Float32Array(), 1)).rejects.toThrow(/got kind 'pca'/);
  });
});

describe('runSampleCommand', () => {
  it('writes --rows CSV rows with the model features from a vae artifact', async () => {
    const d = correlatedRows(300, 4, 5);
    const r = await trainModel({
      kind: 'vae',
      data: { features: d.features, values: d.values },
      backend: 'wasm',
      progress: 'none',
      epochs: 2,
      seed: 1,
    });
    const dir = await mkdtemp(path.join(tmpdir(), 'residual-sample-'));
    await writeModelArtifact(r, dir);
    r.zoo.dispose();
    const store = new FileObjectStore();
    const code = await runSampleCommand(['--model', dir, '--rows', '12', '--output', path.join(dir, 'out.csv'), '--seed', '3'], {
      storeForUri: (uri) => ({ store, location: { bucket: '', key: uri } }),
      createDecoder: async (onnx) => {
        const session = await ort.InferenceSession.create(onnx);
        return async (z, n, k) =>
          (await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', z, [n, k]) }))[session.outputNames[0]!]!
            .data as Float32Array;
      },
    });
    expect(code).toBe(0);
    const lines = (await readFile(path.join(dir, 'out.csv'), 'utf8')).trim().split('\n');
    expect(lines[0]).toBe(d.features.join(','));
    expect(lines.length).toBe(13);
    expect(lines[1]!.split(',').every((c) => Number.isFinite(Number(c)))).toBe(true);
  });
});
