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

/** 400 rows: a 3-valued class, a value that depends on it (bimodal overall), an integer count, a bounded ratio. */
function mixedRows(n: number): { features: string[]; values: Float32Array } {
  const rng = new Rng(4);
  const values = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    const c = rng.int(3);
    values.set([c, 10 * c + rng.normal(), Math.round(Math.abs(rng.normal() * 15)), rng.next()], i * 4);
  }
  return { features: ['class', 'level', 'count', 'ratio'], values };
}

const storeForUri = (uri: string) => ({ store: new FileObjectStore(), location: { bucket: '', key: uri } });

describe('gan', () => {
  let result: TrainResult;
  let dir: string;
  const data = mixedRows(400);

  beforeAll(async () => {
    result = await trainModel({
      kind: 'gan', data, backend: 'wasm', progress: 'none', epochs: 3, seed: 3, batchSize: 100,
      modelConfig: { hidden: [16, 16], critic_hidden: [16, 16], noise: 8, critic_steps: 2 },
    });
    dir = await mkdtemp(path.join(tmpdir(), 'residual-gan-'));
    await writeArtifactToStore(result, new FileObjectStore(), { bucket: '', key: path.join(dir, 'gan') });
  }, 120_000);

  afterAll(() => result?.zoo.dispose());

  test('the manifest records the columns, the generator file and the held-out fidelity of each epoch', async () => {
    const m = parseManifestJson(await readFile(path.join(dir, 'gan', MANIFEST_FILE), 'utf8'));
    expect(m.kind).toBe('gan');
    expect(m.onnx.file).toBe(GENERATOR_FILE);
    expect(m.onnx.inputs.map((i) => i.name)).toEqual(['z', 'cond']);
    const spec = synthesisOf(m);
    expect(spec.columns.map((c) => c.kind)).toEqual(['discrete', 'continuous', 'continuous', 'continuous']);
    expect(spec).toMatchObject({ noise_dim: 8, cond_dim: 3, model_dim: 6, rows_used: 400, rows_skipped_missing: 0 });
    expect(result.history.length).toBeGreaterThan(0);
    expect(result.history.every((h) => Number.isFinite(h.valLoss) && Number.isFinite(h.loss))).toBe(true);
    expect(m.metrics.validation['loss']).toBe(Math.min(...result.history.map((h) => h.valLoss)));
    // the near-copy guard's figures for the kept generator
    const v = m.metrics.validation;
    expect(v['near_copy_excess']).toBeCloseTo(v['near_copy_share']! - v['holdout_near_copy_share']!, 12);
    expect(v['near_copy_share']).toBeGreaterThanOrEqual(0);
    expect(v['near_copy_share']).toBeLessThanOrEqual(1);
    expect(v['fidelity']).toBeLessThanOrEqual(v['loss']!);
  });

  test('generator.onnx on onnxruntime gives what the tfjs generator gives (parity)', async () => {
    const spec = synthesisOf(result.manifest);
    const n = 64;
    const rng = new Rng(9);
    const z = Float32Array.from({ length: n * 8 }, () => rng.normal());
    const cond = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) cond[i * 3 + (i % 3)] = 1;
    const run = await createOnnxGenerator(result.onnx!, GENERATOR_FILE, { noise: 8, cond: 3, dim: spec.model_dim! });
    const onnx = await run(z, cond, n);
    const ref = tf.tidy(() => (result.model.predict([tf.tensor2d(z, [n, 8]), tf.tensor2d(cond, [n, 3])]) as tf.Tensor).dataSync());
    let max = 0;
    for (let i = 0; i < ref.length; i++) max = Math.max(max, Math.abs(ref[i]! - onnx[i]!));
    expect(max).toBeLessThan(1e-4);
  });

  test('residual sample writes rows in the training types and range, in csv, jsonl and parquet, seeded', async () => {
    const deps = { storeForUri, createDecoder: createOnnxDecoder, createGenerator: createOnnxGenerator };
    const model = path.join(dir, 'gan');
    for (const ext of ['csv', 'jsonl', 'parquet']) {
      const out = path.join(dir, `s.${ext}`);
      expect(await runSampleCommand(['--model', model, '--rows', '300', '--seed', '5', '--output', out, '--quiet'], deps)).toBe(0);
      const t = await readTrainingData(new FileObjectStore(), { bucket: '', key: out }, { columns: data.features });
      expect(t.features).toEqual(data.features);
      expect(t.values.length).toBe(300 * 4);
      expect(t.rejectedRows).toBe(0);
      const col = (j: number) => Array.from({ length: 300 }, (_, i) => t.values[i * 4 + j]!);
      expect(new Set(col(0)).size).toBeLessThanOrEqual(3);
      for (const v of col(0)) expect([0, 1, 2]).toContain(v);
      for (const v of col(2)) expect(Number.isInteger(v)).toBe(true);
      if (ext === 'csv') expect((await readFile(out, 'utf8')).split('\n')[1]).toMatch(/^\d,[^,]+,\d+,/);
      const ratio = col(3);
      const seen = Array.from({ length: 400 }, (_, i) => data.values[i * 4 + 3]!);
      expect(Math.min(...ratio)).toBeGreaterThanOrEqual(Math.fround(Math.min(...seen)) - 1e-6);
      expect(Math.max(...ratio)).toBeLessThanOrEqual(Math.fround(Math.max(...seen)) + 1e-6);
    }
    const [a, b] = [path.join(dir, 'a.csv'), path.join(dir, 'b.csv')];
    await runSampleCommand(['--model', model, '--rows', '20', '--seed', '7', '--output', a, '--quiet'], deps);
    await runSampleCommand(['--model', model, '--rows', '20', '--seed', '7', '--output', b, '--quiet'], deps);
    expect(await readFile(a, 'utf8')).toBe(await readFile(b, 'utf8'));
  });

  test('--condition pins a discrete column; unknown columns, continuous columns and unseen values are refused', async () => {
    const deps = { storeForUri, createDecoder: createOnnxDecoder, createGenerator: createOnnxGenerator };
    const model = path.join(dir, 'gan');
    const out = path.join(dir, 'c.csv');
    expect(await runSampleCommand(['--model', model, '--rows', '50', '--condition', 'class=2', '--output', out, '--quiet'], deps)).toBe(0);
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n').slice(1);
    expect(lines.every((l) => l.split(',')[0] === '2')).toBe(true);
    await expect(runSampleCommand(['--model', model, '--rows', '5', '--condition', 'nope=1', '--output', out], deps)).rejects.toThrow(/model column/);
    await expect(runSampleCommand(['--model', model, '--rows', '5', '--condition', 'level=1', '--output', out], deps)).rejects.toThrow(/continuous/);
    await expect(runSampleCommand(['--model', model, '--rows', '5', '--condition', 'class=7', '--output', out], deps)).rejects.toThrow(/not one seen/);
  });
});
