import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { MANIFEST_METADATA_KEY, parseManifestJson } from '../../core/manifest';
import { Rng } from '../../core/rng';
import { TrainingConfigError } from '../../training/errors';
import { readOnnxMetadata } from '../../training/export';
import { fitImputer, scaled } from '../../training/models/auto-impute/fit-imputer';
import { AutoImputer } from '../../training/models/auto-impute/imputer-zoo';
import { combine, memberPredictions } from '../../training/models/auto-impute/predict';
import { chooseAutoTask } from '../../training/models/auto-impute/route';
import { trainModel, type TrainResult } from '../../training/train';

/**
 * kind 'auto', task 'impute': the ONNX graph equals its JS reference (kNN, Gaussian and blends, missing
 * cells, rows with nothing observed), it fills better than the column mean on correlated data, the manifest
 * records per-column quality, and bad input ends in a known state.
 */
const F = 5;

/** Rows of a 2-factor model with one non-linear column; continuous, so neighbour ties do not happen. */
function table(rows: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(rows * F);
  for (let i = 0; i < rows; i++) {
    const a = rng.normal();
    const b = rng.normal();
    const row = [a + 0.1 * rng.normal(), a - b + 0.1 * rng.normal(), 2 * b + 0.2 * rng.normal(), Math.sin(2 * a) + 0.05 * rng.normal(),
      10 + 3 * a + 0.3 * rng.normal()];
    out.set(row, i * F);
  }
  return out;
}

function hide(values: Float32Array, rate: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return values.map((v) => (rng.next() < rate ? NaN : v));
}

async function runOnnx(onnx: Uint8Array, x: Float32Array): Promise<Record<string, ort.Tensor>> {
  const n = x.length / F;
  const mask = x.map((v) => (Number.isNaN(v) ? 0 : 1));
  const session = await ort.InferenceSession.create(onnx);
  try {
    return await session.run({ x: new ort.Tensor('float32', x, [n, F]), mask: new ort.Tensor('float32', mask, [n, F]) });
  } finally {
    await session.release();
  }
}

const features = ['a', 'b', 'c', 'd', 'e'];
const complete = table(600, 1);
const incomplete = hide(complete, 0.2, 2);

describe('auto imputer', () => {
  let result: TrainResult;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    result = await trainModel({ kind: 'auto', task: 'impute', data: { features, values: incomplete }, backend: 'cpu', progress: 'none' });
  });

  afterAll(() => result?.zoo.dispose());

  it('records per-column quality, which round-trips through JSON and the ONNX metadata', () => {
    const m = result.manifest;
    expect(m.kind).toBe('auto');
    expect(m.auto?.['task']).toBe('impute');
    expect(m.latent_dim).toBeNull();
    const cols = m.imputation!.columns;
    expect(cols.map((c) => c.name)).toEqual(features);
    for (const c of cols) {
      expect(['mean', 'knn', 'gaussian', 'blend']).toContain(c.method);
      expect(c.held_out_cells).toBeGreaterThan(10);
      expect(c.rmse!).toBeLessThanOrEqual(c.rmse_mean! + 1e-9);
    }
    // columns a, b, e are near-linear in the factors: the column mean must lose there
    for (const j of [0, 1, 4]) expect(cols[j]!.method).not.toBe('mean');
    expect(m.imputation!.std_output).toBe('reconstruction_std');
    expect(parseManifestJson(JSON.stringify(m))).toEqual(m);
    expect(parseManifestJson(readOnnxMetadata(result.onnx!)[MANIFEST_METADATA_KEY]!)).toEqual(m);
  });

  it('ONNX fills equal the JS reference, with a finite, non-negative sd', async () => {
    const imputer = (result.zoo as AutoImputer).fitted.parts;
    const x = incomplete.slice(0, 200 * F);
    const out = await runOnnx(result.onnx!, x);
    const { x: s, mask } = scaled(imputer, x);
    const want = combine(imputer, memberPredictions(imputer, s, mask), mask, s);
    const rec = out['reconstruction']!.data as Float32Array;
    const std = out['reconstruction_std']!.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < rec.length; i++) {
      const j = i % F;
      const raw = want.value[i]! * imputer.scaler.scale[j]! + imputer.scaler.offset[j]!;
      worst = Math.max(worst, Math.abs(rec[i]! - raw) / imputer.scaler.scale[j]!);
      expect(std[i]!).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(std[i]!)).toBe(true);
    }
    expect(worst).toBeLessThan(2e-3);
  });

  it('fills the hidden cells at least 30 % better than the column mean (quality floor)', async () => {
    const out = await runOnnx(result.onnx!, incomplete);
    const rec = out['reconstruction']!.data as Float32Array;
    const mean = new Float64Array(F);
    const n = new Float64Array(F);
    incomplete.forEach((v, i) => {
      if (!Number.isNaN(v)) {
        mean[i % F] += v;
        n[i % F]++;
      }
    });
    let model = 0;
    let base = 0;
    incomplete.forEach((v, i) => {
      if (!Number.isNaN(v)) return;
      model += (rec[i]! - complete[i]!) ** 2;
      base += (mean[i % F]! / n[i % F]! - complete[i]!) ** 2;
    });
    expect(Math.sqrt(model / base)).toBeLessThan(0.7);
  });

  it('fills a row with every cell missing with the column means', async () => {
    const x = new Float32Array(F).fill(NaN);
    const out = await runOnnx(result.onnx!, x);
    const parts = (result.zoo as AutoImputer).fitted.parts;
    const rec = out['reconstruction']!.data as Float32Array;
    for (let j = 0; j < F; j++) {
      const mean = parts.mean[j]! * parts.scaler.scale[j]! + parts.scaler.offset[j]!;
      expect(Math.abs(rec[j]! - mean)).toBeLessThan(1e-3 * parts.scaler.scale[j]!);
    }
    expect((out['score']!.data as Float32Array)[0]).toBe(0);
  });
});

describe.each([
  ['knn', 'observed'], ['knn', 'filled'], ['gaussian', 'observed'],
] as const)('auto imputer members %s, distance %s', (member, distance) => {
  it('ONNX fills equal the JS reference', async () => {
    const members = member === 'knn' && distance === 'filled' ? ['knn', 'gaussian'] : [member];
    const r = await trainModel({
      kind: 'auto', task: 'impute', data: { features, values: incomplete.slice(0, 300 * F) }, backend: 'cpu', progress: 'none',
      modelConfig: { members, knn_distance: distance },
    });
    try {
      const parts = (r.zoo as AutoImputer).fitted.parts;
      if (member === 'knn') expect(parts.knn?.distance).toBe(distance);
      const x = incomplete.slice(300 * F, 400 * F);
      x.fill(NaN, 0, F);
      const out = await runOnnx(r.onnx!, x);
      const { x: s, mask } = scaled(parts, x);
      const want = combine(parts, memberPredictions(parts, s, mask), mask, s);
      const rec = out['reconstruction']!.data as Float32Array;
      let worst = 0;
      for (let i = 0; i < rec.length; i++) {
        const j = i % F;
        const raw = want.value[i]! * parts.scaler.scale[j]! + parts.scaler.offset[j]!;
        worst = Math.max(worst, Math.abs(rec[i]! - raw) / parts.scaler.scale[j]!);
      }
      expect(worst).toBeLessThan(2e-3);
    } finally {
      r.zoo.dispose();
    }
  });
});

describe('auto imputer: a discrete column', () => {
  it('fills a column of whole numbers with < 20 levels with whole numbers, as the JS reference does', async () => {
    const values = incomplete.slice(0, 300 * F);
    for (let i = 4; i < values.length; i += F) if (!Number.isNaN(values[i]!)) values[i] = Math.round(values[i]! / 3);
    const r = await trainModel({ kind: 'auto', task: 'impute', data: { features, values }, backend: 'cpu', progress: 'none' });
    try {
      expect(r.manifest.imputation!.columns.map((c) => c['rounded'])).toEqual([false, false, false, false, true]);
      const out = await runOnnx(r.onnx!, values);
      const rec = out['reconstruction']!.data as Float32Array;
      for (let i = 4; i < rec.length; i += F) expect(Number.isInteger(rec[i]!)).toBe(true);
      const parts = (r.zoo as AutoImputer).fitted.parts;
      const { x: s, mask } = scaled(parts, values);
      const want = combine(parts, memberPredictions(parts, s, mask), mask, s);
      const raw = (i: number): number => want.value[i]! * parts.scaler.scale[4]! + parts.scaler.offset[4]!;
      for (let i = 4; i < rec.length; i += F) expect(Math.abs(rec[i]! - raw(i))).toBeLessThan(1e-3);
    } finally {
      r.zoo.dispose();
    }
  });
});

describe('auto imputer: bad input', () => {
  it('refuses a column with no observed value, naming it', () => {
    const x = incomplete.slice(0, 50 * F);
    for (let i = 2; i < x.length; i += F) x[i] = NaN;
    expect(() => fitImputer(x, F, features, new Rng(1), {})).toThrow(TrainingConfigError);
    expect(() => fitImputer(x, F, features, new Rng(1), {})).toThrow(/'c' have no observed value/);
  });

  it('refuses a table with fewer than 3 rows (one row: nothing to learn a fill from)', () => {
    expect(() => fitImputer(complete.slice(0, F), F, features, new Rng(1), {})).toThrow(/at least 3 training rows, got 1/);
  });

  it('task is for kind auto only', async () => {
    await expect(trainModel({ kind: 'pca', task: 'impute', data: { features, values: complete } })).rejects.toThrow(/task is for model kind 'auto'/);
  });
});

describe('chooseAutoTask', () => {
  it('routes a table with >= 5 % missing cells to the imputer, a mostly complete one to the detector', () => {
    expect(chooseAutoTask({ values: incomplete }).task).toBe('impute');
    const few = complete.slice();
    for (let i = 0; i < few.length; i += 40) few[i] = NaN;
    expect(chooseAutoTask({ values: few }).task).toBe('detect');
    expect(chooseAutoTask({ values: few }, 'impute').task).toBe('impute');
  });

  it('routes a series with >= 5 % gaps to the series imputer, a nearly complete one to the detector; --task wins', () => {
    expect(chooseAutoTask({ values: incomplete }, undefined, true)).toMatchObject({ task: 'impute', reason: expect.stringMatching(/series imputer/) });
    expect(chooseAutoTask({ values: complete }, undefined, true)).toMatchObject({ task: 'detect', reason: expect.stringMatching(/time-series detector/) });
    expect(chooseAutoTask({ values: incomplete }, 'detect', true).task).toBe('detect');
    expect(chooseAutoTask({ values: incomplete }, 'impute', true).task).toBe('impute');
  });
});
