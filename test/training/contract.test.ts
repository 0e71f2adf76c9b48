import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { parseManifestJson, MANIFEST_METADATA_KEY } from '../../core/manifest';
import { MODEL_KINDS, type ModelKind } from '../../core/model-kind';
import { readOnnxMetadata } from '../../training/export';
import { prepareSamples } from '../../training/dataset';
import { scoreSamples } from '../../training/score';
import { trainModel, type TrainResult } from '../../training/train';
import { makeWindows } from '../../core/window';
import { auc, correlatedRows, periodicRows } from './synthetic';

/**
 * The contract every model kind meets (PyOD-style shared battery): it fits seeded synthetic data on the
 * WASM backend, scores one finite number per row with anomalies higher (AUC ≥ 0.9), its manifest
 * round-trips (file and ONNX metadata), the exported ONNX head scores as the tfjs model does, and no
 * tensors leak.
 */
const F = 6;
const train = correlatedRows(1000, F, 21);
const test = correlatedRows(400, F, 22, 40);
const EPOCHS: Partial<Record<ModelKind, number>> = { 'lstm-ae': 15, 'conv1d-ae': 25, gain: 30 };

// auto has its own contract suite (auto.test.ts): its score is an ensemble, not the reconstruction error.
describe.each(MODEL_KINDS.filter((k) => k !== 'auto' && k !== 'gan'))('%s contract', (kind) => {
  let result: TrainResult;
  let scores: Float32Array;
  let tensorsBefore = 0;
  let disposed = false;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    tensorsBefore = tf.memory().numTensors;
    result = await trainModel({
      kind, data: { features: train.features, values: train.values }, backend: 'wasm', progress: 'none',
      seed: 3, epochs: EPOCHS[kind] ?? 40, batchSize: 64, learningRate: 3e-3, patience: 5,
    });
    scores = scoreSamples(result.zoo, prepareSamples(test.values, F, result.manifest.scaler, 'rows', null));
  });

  afterAll(() => {
    if (!disposed) result?.zoo.dispose();
  });

  it('scores one finite number per row', () => {
    expect(scores.length).toBe(400);
    expect(scores.every((s) => Number.isFinite(s) && s >= 0)).toBe(true);
  });

  it('scores injected anomalies higher on average', () => {
    const mean = (want: number): number => {
      const picked = Array.from(scores).filter((_, i) => test.labels[i] === want);
      return picked.reduce((a, b) => a + b, 0) / picked.length;
    };
    expect(mean(1)).toBeGreaterThan(mean(0));
  });

  it('separates injected anomalies with AUC >= 0.9', () => {
    expect(auc(scores, test.labels)).toBeGreaterThanOrEqual(0.9);
  });

  it('round-trips its manifest through JSON and the ONNX metadata', () => {
    expect(parseManifestJson(JSON.stringify(result.manifest))).toEqual(result.manifest);
    const embedded = readOnnxMetadata(result.onnx!)[MANIFEST_METADATA_KEY];
    expect(parseManifestJson(embedded!)).toEqual(result.manifest);
    expect(result.manifest.kind).toBe(kind);
  });

  it('exports ONNX whose head scores as the tfjs model does, missing cells included', async () => {
    const x = test.values.slice();
    for (let i = 3; i < x.length; i += 17) x[i] = NaN;
    const mask = x.map((v) => (Number.isNaN(v) ? 0 : 1));
    const session = await ort.InferenceSession.create(result.onnx!);
    const out = await session.run({ x: new ort.Tensor('float32', x, [400, F]), mask: new ort.Tensor('float32', mask, [400, F]) });
    await session.release();
    const want = scoreSamples(result.zoo, prepareSamples(x, F, result.manifest.scaler, 'rows', null));
    const got = out['score']!.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.max(1e-3, Math.abs(want[i]!)));
    expect(worst).toBeLessThan(1e-3);
    expect(out['reconstruction']!.dims).toEqual([400, F]);
  });

  it('leaks no tensors', () => {
    result.zoo.dispose();
    disposed = true;
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});

describe.each(['dense-ae', 'conv1d-ae', 'lstm-ae'] as const)('%s on windows', (kind) => {
  it('exports a [N, T, F] head that scores windows as the tfjs model does', async () => {
    const d = periodicRows(300, 3, 9);
    const r = await trainModel({
      kind,
      data: { features: d.features, values: d.values },
      window: { size: 8, stride: 2 },
      backend: 'wasm',
      progress: 'none',
      epochs: 3,
      seed: 1,
    });
    try {
      expect(r.manifest.window).toEqual({ size: 8, stride: 2 });
      const samples = prepareSamples(d.values, 3, r.manifest.scaler, 'windows', { size: 8, stride: 2 });
      const raw = makeWindows(d.values, 3, 8, 2).values;
      const session = await ort.InferenceSession.create(r.onnx!);
      const out = await session.run({
        x: new ort.Tensor('float32', raw, [samples.count, 8, 3]),
        mask: new ort.Tensor('float32', new Float32Array(raw.length).fill(1), [samples.count, 8, 3]),
      });
      await session.release();
      const want = scoreSamples(r.zoo, samples);
      const got = out['score']!.data as Float32Array;
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-4 + 1e-3 * Math.abs(want[i]!));
    } finally {
      r.zoo.dispose();
    }
  });
});

describe.each([
  ['conv1d-ae with a dense bottleneck', 'conv1d-ae', { filters: [4, 4], kernel: 3, latent: 3, noise: 0.1, dropout: 0.1 }, 'standard'],
  [
    'denoising-ae with mask input, hidden-cell loss and 3 iterations',
    'denoising-ae',
    { hide: 0.2, mask_input: true, iterations: 3 },
    'standard',
  ],
  ['dense-ae on the global scaler', 'dense-ae', {}, 'global'],
  ['dense-ae with a trimmed loss', 'dense-ae', { trim: 0.1 }, 'standard'],
] as const)('%s', (_name, kind, modelConfig, scaler) => {
  it('exports ONNX whose head scores as the tfjs model does, missing cells included', async () => {
    const r = await trainModel({
      kind,
      data: { features: train.features, values: train.values },
      backend: 'wasm',
      progress: 'none',
      epochs: 3,
      seed: 1,
      scaler,
      modelConfig: { ...modelConfig },
    });
    try {
      const rows = test.values.slice(0, 40 * F);
      for (let i = 0; i < rows.length; i += 7) rows[i] = NaN;
      const samples = prepareSamples(rows, F, r.manifest.scaler, 'rows', null);
      const session = await ort.InferenceSession.create(r.onnx!);
      const mask = Float32Array.from(rows, (v) => (Number.isNaN(v) ? 0 : 1));
      const out = await session.run({ x: new ort.Tensor('float32', rows, [40, F]), mask: new ort.Tensor('float32', mask, [40, F]) });
      await session.release();
      const want = scoreSamples(r.zoo, samples);
      const got = out['score']!.data as Float32Array;
      expect(parseManifestJson(JSON.stringify(r.manifest)).scaler.kind).toBe(scaler);
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-4 + 1e-3 * Math.abs(want[i]!));
    } finally {
      r.zoo.dispose();
    }
  });
});
