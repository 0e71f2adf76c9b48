import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile } from 'fs/promises';
import { tmpdir } from 'os';
import * as path from 'path';
import { Rng } from '../../../core/rng';
import { parseManifestJson } from '../../../core/manifest';
import { readTrainingData } from '../../../training/read-training-data';
import { runSampleCommand } from '../../../cli/commands/sample';
import { createOnnxDecoder } from '../../../scoring/adapters/onnx-decoder';
import { createOnnxGenerator } from '../../../scoring/adapters/onnx-generator';
import { FileObjectStore } from '../../../storage/adapters/file-object-store';
import { GENERATOR_FILE, MANIFEST_FILE } from '../../../storage/artifact/layout';
import { synthesisOf } from '../../../training/sample-gan';
import { trainModel, type TrainResult } from '../../../training/train';
import { writeArtifactToStore } from '../../../training/write-artifact-to-store';

const T = 8;

/** A noisy sine (period 8 rows) and an integer counter 0..7 of the phase: 600 rows, 2 columns. */
function series(n: number): { features: string[]; values: Float32Array } {
  const rng = new Rng(5);
  const values = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) values.set([Math.sin((2 * Math.PI * i) / 8) + 0.05 * rng.normal(), i % 8], i * 2);
  return { features: ['level', 'phase'], values };
}

const storeForUri = (uri: string) => ({ store: new FileObjectStore(), location: { bucket: '', key: uri } });
const deps = { storeForUri, createDecoder: createOnnxDecoder, createGenerator: createOnnxGenerator };

describe('gan on windows of a series', () => {
  let result: TrainResult;
  let dir: string;
  const data = series(600);

  beforeAll(async () => {
    result = await trainModel({
      kind: 'gan', data, window: { size: T, stride: 2 }, backend: 'wasm', progress: 'none', epochs: 2, seed: 3, batchSize: 100,
      modelConfig: { hidden: [16, 16], critic_hidden: [16, 16], noise: 8 },
    });
    dir = await mkdtemp(path.join(tmpdir(), 'residual-gan-win-'));
    await writeArtifactToStore(result, new FileObjectStore(), { bucket: '', key: path.join(dir, 'gan') });
  }, 120_000);

  afterAll(() => result?.zoo.dispose());

  test('the manifest has layout windows, every column continuous, a T·F generator output and no cond input', async () => {
    const m = parseManifestJson(await readFile(path.join(dir, 'gan', MANIFEST_FILE), 'utf8'));
    expect(m.layout).toBe('windows');
    expect(m.window).toEqual({ size: T, stride: 2 });
    expect(m.onnx.inputs.map((i) => i.name)).toEqual(['z']);
    expect(m.onnx.outputs[0]!.shape).toEqual(['N', T * 2]);
    const spec = synthesisOf(m);
    expect(spec.columns.map((c) => c.kind)).toEqual(['continuous', 'continuous']);
    expect(spec).toMatchObject({ noise_dim: 8, cond_dim: 0, model_dim: T * 2 });
    // 297 windows of 8 rows every 2; the last 20 % in time are held out
    expect(Number(m.training.config.train_samples) + Number(m.training.config.validation_samples)).toBe(297);
    expect(m.training.config.validation_samples).toBe(59);
  });

  test('generator.onnx on onnxruntime gives what the tfjs generator gives (parity)', async () => {
    const n = 32;
    const rng = new Rng(9);
    const z = Float32Array.from({ length: n * 8 }, () => rng.normal());
    const run = await createOnnxGenerator(result.onnx!, GENERATOR_FILE, { noise: 8, cond: 0, dim: T * 2 });
    const onnx = await run(z, new Float32Array(0), n);
    const ref = tf.tidy(() => (result.model.predict(tf.tensor2d(z, [n, 8])) as tf.Tensor).dataSync());
    expect(onnx.length).toBe(n * T * 2);
    let max = 0;
    for (let i = 0; i < ref.length; i++) max = Math.max(max, Math.abs(ref[i]! - onnx[i]!));
    expect(max).toBeLessThan(1e-4);
  });

  test('residual sample --rows N writes N whole windows of T rows, in the training types and range', async () => {
    const out = path.join(dir, 'w.csv');
    expect(await runSampleCommand(['--model', path.join(dir, 'gan'), '--rows', '25', '--seed', '4', '--output', out, '--quiet'], deps))
      .toBe(0);
    const t = await readTrainingData(new FileObjectStore(), { bucket: '', key: out }, { columns: data.features });
    expect(t.values.length).toBe(25 * T * 2);
    expect(t.rejectedRows).toBe(0);
    for (let i = 0; i < 25 * T; i++) {
      const level = t.values[i * 2]!;
      const phase = t.values[i * 2 + 1]!;
      expect(level).toBeGreaterThanOrEqual(-1.3);
      expect(level).toBeLessThanOrEqual(1.3);
      expect(Number.isInteger(phase)).toBe(true);
      expect(phase).toBeGreaterThanOrEqual(0);
      expect(phase).toBeLessThanOrEqual(7);
    }
  });

  test('--condition is refused for a windows gan (it has no conditional vector)', async () => {
    const out = path.join(dir, 'c.csv');
    await expect(runSampleCommand(['--model', path.join(dir, 'gan'), '--rows', '5', '--condition', 'phase=1', '--output', out], deps))
      .rejects.toThrow(/rows gan/);
  });

  test('a series with fewer than 10 complete training windows is refused with a count', async () => {
    const options = { kind: 'gan' as const, data: series(40), window: { size: T, stride: 4 }, backend: 'wasm' as const, epochs: 1 };
    await expect(trainModel({ ...options, progress: 'none' }))
      .rejects.toThrow(/too few complete windows/);
  });
});
