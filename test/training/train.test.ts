import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile } from 'fs/promises';
import { tmpdir } from 'os';
import * as path from 'path';
import { parseManifestJson } from '../../core/manifest';
import { writeModelArtifact } from '../storage/write-model-artifact';
import { prepareSamples } from '../../training/dataset';
import { trimWeights } from '../../training/models/common';
import { trainModel, type TrainOptions } from '../../training/train';
import { correlatedRows } from './synthetic';

const data = correlatedRows(600, 6, 11);
const base: TrainOptions = {
  kind: 'dense-ae',
  data: { features: data.features, values: data.values },
  epochs: 4,
  batchSize: 64,
  backend: 'wasm',
  progress: 'none',
  seed: 5,
};

describe('trainModel (dense-ae on wasm)', () => {
  it('returns a manifest that parseManifest accepts, recording the backend and sizes', async () => {
    const r = await trainModel(base);
    expect(r.manifest.training.backend).toBe('wasm');
    expect(r.manifest.training.data_rows).toBe(600);
    expect(r.manifest.features).toEqual(data.features);
    expect(r.onnx!.length).toBeGreaterThan(100);
    r.zoo.dispose();
  });

  it('gives identical weights for the same seed', async () => {
    const a = await trainModel(base);
    const b = await trainModel(base);
    const wa = a.model.getWeights().map((w) => Array.from(w.dataSync()));
    const wb = b.model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(wa).toEqual(wb);
    a.zoo.dispose();
    b.zoo.dispose();
  });

  it('gives different weights for a different seed', async () => {
    const a = await trainModel(base);
    const b = await trainModel({ ...base, seed: 6 });
    expect(Array.from(a.model.getWeights()[0].dataSync())).not.toEqual(Array.from(b.model.getWeights()[0].dataSync()));
    a.zoo.dispose();
    b.zoo.dispose();
  });

  it('stops early when validation loss stops improving', async () => {
    const r = await trainModel({ ...base, epochs: 200, patience: 1, learningRate: 0.05 });
    expect(r.history.length).toBeLessThan(200);
    r.zoo.dispose();
  });

  it('calibrates the threshold at the requested percentile of validation scores', async () => {
    const r = await trainModel({ ...base, threshold: 'percentile:90' });
    const sorted = Array.from(r.validationScores).sort((p, q) => p - q);
    const above = sorted.filter((s) => s > r.manifest.threshold.value).length / sorted.length;
    expect(above).toBeCloseTo(0.1, 1);
    r.zoo.dispose();
  });

  it('leaks no tensors once the result is disposed', async () => {
    const before = tf.memory().numTensors;
    const r = await trainModel(base);
    r.zoo.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a zero window stride, naming it', async () => {
    await expect(trainModel({ ...base, window: { size: 4, stride: 0 } })).rejects.toThrow(/stride must be a positive integer, got 0/);
  });
});

describe('trainModel with data.target (noisy → clean pairs)', () => {
  const noisy = Float32Array.from(data.values, (v, i) => v + 0.8 * Math.sin(i * 12.9898) * Math.cos(i * 78.233));
  const pairs = { features: data.features, values: noisy, target: data.values };
  const reconstructionError = (r: Awaited<ReturnType<typeof trainModel>>): number => {
    const x = prepareSamples(noisy, 6, r.manifest.scaler, 'rows', null);
    const y = prepareSamples(data.values, 6, r.manifest.scaler, 'rows', null);
    return tf.tidy(
      () => tf.mean(tf.square(tf.sub(r.model.predict(tf.tensor(x.x, [600, 6])) as tf.Tensor, tf.tensor(y.x, [600, 6])))).dataSync()[0]!,
    );
  };

  it('learns to output the clean target rather than its noisy input', async () => {
    const options: TrainOptions = { ...base, epochs: 30, learningRate: 3e-3, modelConfig: { hidden: 24, latent: 6 } };
    const denoiser = await trainModel({ ...options, data: pairs });
    const plain = await trainModel({ ...options, data: { features: data.features, values: noisy } });
    try {
      expect(reconstructionError(denoiser)).toBeLessThan(0.7 * reconstructionError(plain));
    } finally {
      denoiser.zoo.dispose();
      plain.zoo.dispose();
    }
  });

  it('refuses a target whose length differs from the values, naming both', async () => {
    await expect(trainModel({ ...base, data: { ...pairs, target: data.values.subarray(6) } })).rejects.toThrow(
      /data.target length 3594 .* 3600/,
    );
  });

  it('refuses a target for a kind that cannot train on one', async () => {
    await expect(trainModel({ ...base, kind: 'vae', data: pairs })).rejects.toThrow(/'vae' cannot train on data.target/);
  });
});

describe('trimWeights', () => {
  it('keeps the samples at or below the (1 - trim) quantile of the losses and drops the largest', () => {
    const w = tf.tidy(() => Array.from(trimWeights(tf.tensor1d([0.5, 9, 0.1, 3, 0.2]), 0.4).dataSync()));
    expect(w).toEqual([1, 0, 1, 0, 1]);
  });
});

describe('writeModelArtifact', () => {
  it('writes model.onnx and a manifest.json that parses back', async () => {
    const r = await trainModel(base);
    const dir = await mkdtemp(path.join(tmpdir(), 'residual-artifact-'));
    await writeModelArtifact(r, dir);
    const manifest = parseManifestJson(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toEqual(r.manifest);
    expect(new Uint8Array(await readFile(path.join(dir, 'model.onnx')))).toEqual(r.onnx);
    r.zoo.dispose();
  });
});
