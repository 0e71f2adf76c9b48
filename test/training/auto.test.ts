import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { MANIFEST_METADATA_KEY, parseManifestJson } from '../../core/manifest';
import { applyScaler } from '../../core/scaler';
import { readOnnxMetadata } from '../../training/export';
import { AutoDetector } from '../../training/models/auto/detector';
import { trainModel, type TrainResult } from '../../training/train';
import { auc, correlatedRows } from './synthetic';

/**
 * kind 'auto' (the CLI default): the model contract (finite scores, anomalies higher, manifest round trip,
 * ONNX = the JS reference, missing cells included) with a quality floor, robustness to anomalies mixed
 * into its training rows, and a threshold chosen without labels.
 */
const F = 6;
const train = correlatedRows(1000, F, 21);
const test = correlatedRows(400, F, 22, 40);

async function runOnnx(onnx: Uint8Array, x: Float32Array, n: number): Promise<Record<string, ort.Tensor>> {
  const mask = x.map((v) => (Number.isNaN(v) ? 0 : 1));
  const session = await ort.InferenceSession.create(onnx);
  try {
    return await session.run({ x: new ort.Tensor('float32', x, [n, F]), mask: new ort.Tensor('float32', mask, [n, F]) });
  } finally {
    await session.release();
  }
}

function worstRelative(got: ArrayLike<number>, want: ArrayLike<number>, floor = 1e-3): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.max(floor, Math.abs(want[i]!)));
  return worst;
}

/**
 * The exported graph's score equals the detector's JS score on the test rows (every `nanEvery`-th cell from
 * `nanFrom` missing, when given), and the JS score separates the test labels.
 */
async function expectGraphScoresAsJs(r: TrainResult, nanEvery?: number, nanFrom = 0): Promise<void> {
  const x = test.values.slice();
  if (nanEvery) for (let i = nanFrom; i < x.length; i += nanEvery) x[i] = NaN;
  const out = await runOnnx(r.onnx!, x, 400);
  const want = (r.zoo as AutoDetector).score(x);
  expect(worstRelative(out['score']!.data as Float32Array, want.score, 1)).toBeLessThan(1e-3);
  expect(auc(want.score, test.labels)).toBeGreaterThanOrEqual(0.95);
}

describe('auto contract', () => {
  let result: TrainResult;
  let det: AutoDetector;
  let tensorsBefore = 0;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    tensorsBefore = tf.memory().numTensors;
    const data = { features: train.features, values: train.values };
    result = await trainModel({ kind: 'auto', data, backend: 'wasm', progress: 'none', seed: 3 });
    det = result.zoo as AutoDetector;
  });

  afterAll(() => result?.zoo.dispose());

  it('records what it chose in the manifest, which round-trips through JSON and the ONNX metadata', () => {
    const m = result.manifest;
    expect(m.kind).toBe('auto');
    expect(m.scaler.kind).toBe('robust');
    expect(m.auto?.['members']).toEqual(['knn', 'knn_small', 'pca', 'iforest']);
    expect(m.auto?.['combine']).toBe('mean');
    expect(m.auto?.['families']).toEqual([['knn', 'knn_small'], ['pca'], ['iforest']]);
    expect(m.auto?.['iforest_trees']).toBe(200);
    expect(m.auto?.['reference_trimmed']).toBe(50); // 5 % of the 1000 sampled rows
    expect(m.auto?.['trim_by']).toBe('iforest');
    expect(m.auto?.['reference_trim']).toBe(0.05);
    expect(m.auto?.['reference_rows']).toBe(950);
    expect(m.auto?.['k']).toBe(19);
    expect(m.auto?.['k_small']).toBe(5);
    expect(typeof m.auto?.['threshold_rule']).toBe('string');
    expect(parseManifestJson(JSON.stringify(m))).toEqual(m);
    expect(parseManifestJson(readOnnxMetadata(result.onnx!)[MANIFEST_METADATA_KEY]!)).toEqual(m);
  });

  it('separates injected anomalies with AUC >= 0.95 (quality floor)', () => {
    const { score } = det.score(test.values);
    expect(score.every(Number.isFinite)).toBe(true);
    expect(auc(score, test.labels)).toBeGreaterThanOrEqual(0.95);
  });

  it('exports one ONNX graph whose outputs equal the JS reference, missing cells included', async () => {
    const x = test.values.slice();
    for (let i = 3; i < x.length; i += 17) x[i] = NaN;
    const out = await runOnnx(result.onnx!, x, 400);
    const want = det.score(x);
    // z-scores are O(1) around 0: the error is relative to max(1, |score|) (float32 a − 2b + c vs the direct sum)
    expect(worstRelative(out['score']!.data as Float32Array, want.score, 1)).toBeLessThan(1e-3);
    expect(worstRelative(out['reconstruction']!.data as Float32Array, want.reconstruction)).toBeLessThan(1e-3);
    expect(worstRelative(out['latent']!.data as Float32Array, want.latent)).toBeLessThan(1e-3);
    expect(worstRelative(out['feature_error']!.data as Float32Array, want.featureError, 1e-2)).toBeLessThan(1e-2);
    expect(out['reconstruction']!.dims).toEqual([400, F]);
    expect(out['latent']!.dims).toEqual([400, result.manifest.latent_dim]);
  });

  it('flags with a label-free threshold: few clean rows, most injected anomalies', () => {
    const { score } = det.score(test.values);
    const t = result.manifest.threshold.value;
    const flaggedNormal = Array.from(score).filter((s, i) => test.labels[i] === 0 && s > t).length / 360;
    const flaggedAnomalies = Array.from(score).filter((s, i) => test.labels[i] === 1 && s > t).length / 40;
    expect(flaggedNormal).toBeLessThan(0.1);
    expect(flaggedAnomalies).toBeGreaterThan(0.8);
  });

  it('frees every tensor on dispose', () => {
    result.zoo.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});

describe('auto on contaminated training rows', () => {
  it('still ranks anomalies first when 5 % of its training rows are anomalies', async () => {
    const dirty = correlatedRows(1000, F, 31, 50);
    const data = { features: dirty.features, values: dirty.values };
    const r = await trainModel({ kind: 'auto', data, backend: 'wasm', progress: 'none', seed: 4 });
    try {
      const d = r.zoo as AutoDetector;
      const { score } = d.score(test.values);
      expect(auc(score, test.labels)).toBeGreaterThanOrEqual(0.95);
      expect(r.manifest.auto?.['contamination_estimate']).toBeGreaterThan(0.02);
      // the isolation member's top 5 % left the kNN reference: few of the 50 mixed-in anomalies remain in it
      const scaled = applyScaler(d.scaling.params, dirty.values);
      const key = (a: Float32Array, i: number): string => Array.from(a.subarray(i * F, i * F + F)).join(',');
      const anomalies = new Set(Array.from({ length: 1000 }, (_, i) => i).filter((i) => dirty.labels[i] === 1).map((i) => key(scaled, i)));
      let left = 0;
      for (let i = 0; i < d.knn.rows; i++) if (anomalies.has(key(d.knn.reference, i))) left++;
      expect(anomalies.size).toBe(50);
      expect(left).toBeLessThan(15);
    } finally {
      r.zoo.dispose();
    }
  });

  it("with members ['knn', 'pca', 'ae'] exports the autoencoder inside the same graph, equal to the JS reference", async () => {
    const r = await trainModel({
      kind: 'auto', data: { features: train.features, values: train.values }, backend: 'wasm', progress: 'none', seed: 5,
      modelConfig: { members: ['knn', 'pca', 'ae'] },
    });
    try {
      expect(r.manifest.auto?.['members']).toEqual(['knn', 'pca', 'ae']);
      await expectGraphScoresAsJs(r, 13, 5);
    } finally {
      r.zoo.dispose();
    }
    const data = { features: train.features, values: train.values };
    await expect(trainModel({ kind: 'auto', data, progress: 'none', modelConfig: { members: ['ae'] } }))
      .rejects.toThrow(/config.members must list 'knn', 'pca'/);
  });

  it('on signal rows (many adjacent-correlated columns, pooled scale) leaves the isolation forest out and says why', async () => {
    const f = 32;
    const n = 300;
    const values = new Float32Array(n * f);
    for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) values[i * f + j] = Math.sin((i % 17) / 3 + j / 8) + 0.001 * ((i * 7 + j) % 5);
    const features = Array.from({ length: f }, (_, j) => `s${j}`);
    const r = await trainModel({ kind: 'auto', data: { features, values }, backend: 'wasm', progress: 'none', seed: 6 });
    try {
      expect(r.manifest.auto?.['members']).toEqual(['knn', 'knn_small', 'pca']);
      expect(r.manifest.auto?.['members_reason']).toMatch(/signal rows/);
      expect(r.manifest.auto?.['combine']).toBe('mean');
      expect(r.manifest.auto?.['reference_trimmed']).toBe(0);
    } finally {
      r.zoo.dispose();
    }
    const data = { features: train.features, values: train.values };
    await expect(trainModel({ kind: 'auto', data, progress: 'none', modelConfig: { members: ['iforest'] } }))
      .rejects.toThrow(/optionally 'knn_small', 'ae', 'iforest'/);
  });

  it("with config.combine 'family-max' exports the max over families, equal to the JS reference", async () => {
    const data = { features: train.features, values: train.values };
    const r = await trainModel({ kind: 'auto', data, backend: 'wasm', progress: 'none', seed: 8, modelConfig: { combine: 'family-max' } });
    try {
      expect(r.manifest.auto?.['combine']).toBe('family-max');
      expect(r.manifest.auto?.['combine_reason']).toMatch(/given: config.combine/);
      await expectGraphScoresAsJs(r);
    } finally {
      r.zoo.dispose();
    }
    await expect(trainModel({ kind: 'auto', data, progress: 'none', modelConfig: { combine: 'median' } }))
      .rejects.toThrow(/config.combine must be one of mean, family-max/);
  });

  it("with members + 'iforest_nn' and trim_by 'iforest_nn' exports the neighbours' isolation mean, equal to the JS reference", async () => {
    const data = { features: train.features, values: train.values };
    const modelConfig = { members: ['knn', 'knn_small', 'pca', 'iforest', 'iforest_nn'], trim_by: 'iforest_nn', reference_trim: 0.1 };
    const r = await trainModel({ kind: 'auto', data, backend: 'wasm', progress: 'none', seed: 9, modelConfig });
    try {
      expect(r.manifest.auto?.['trim_by']).toBe('iforest_nn');
      expect(r.manifest.auto?.['reference_trim']).toBe(0.1);
      expect(r.manifest.auto?.['reference_trim_reason']).toMatch(/whose k nearest sampled rows/);
      expect(r.manifest.auto?.['normalisation']).toHaveProperty('iforest_nn');
      expect(r.manifest.auto?.['reference_trimmed']).toBe(100);
      await expectGraphScoresAsJs(r, 19, 4);
    } finally {
      r.zoo.dispose();
    }
    const bad = [
      [{ trim_by: 'pca' }, /config.trim_by must be one of iforest, iforest_nn/],
      [{ reference_trim: 0.7 }, /config.reference_trim must be a number in \[0, 0.5\]/],
      [{ members: ['knn', 'pca'], trim_by: 'iforest_nn' }, /needs the 'iforest' member/],
      [{ members: ['knn', 'pca', 'iforest_nn'] }, /'iforest_nn' \(with 'iforest'\)/],
    ] as const;
    for (const [config, message] of bad) {
      await expect(trainModel({ kind: 'auto', data, progress: 'none', modelConfig: { ...config } })).rejects.toThrow(message);
    }
  });

  it('refuses windows and a target, naming the kind', async () => {
    const data = { features: train.features, values: train.values };
    await expect(trainModel({ kind: 'auto', data, window: { size: 4, stride: 1 }, progress: 'none' }))
      .rejects.toThrow(/'auto' does not support layout 'windows'/);
    await expect(trainModel({ kind: 'auto', data: { ...data, target: train.values }, progress: 'none' }))
      .rejects.toThrow(/'auto' cannot train on data.target/);
  });
});
