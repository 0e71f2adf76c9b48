import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { exportToOnnx, type ScoringHeadOptions } from '../../../training/export';
import { referenceHead } from './head-reference';
import { seededUniform } from './parity';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const F = 4;
const offset = [1, -2, 0.5, 10];
const scale = [2, 0.5, 1, 4];

function rowsAutoencoder(): tf.LayersModel {
  const input = tf.input({ shape: [F] });
  const code = tf.layers.dense({ units: 2, activation: 'tanh', name: 'code' }).apply(input) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: F }).apply(code) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/** Random raw rows with ~30% missing cells that hold NaN, and the matching mask. */
function rawData(dims: number[], seed: number): { x: Float32Array; mask: Float32Array } {
  const rand = seededUniform(seed);
  const size = dims.reduce((a, b) => a * b, 1);
  const mask = Float32Array.from({ length: size }, () => (rand() < 0.3 ? 0 : 1));
  const x = Float32Array.from({ length: size }, (_, i) => (mask[i] ? offset[i % F]! + scale[i % F]! * (rand() * 4 - 2) : NaN));
  return { x, mask };
}

async function runHead(model: tf.LayersModel, head: ScoringHeadOptions, dims: number[]) {
  const session = await ort.InferenceSession.create(Buffer.from(exportToOnnx(model, { head })));
  const { x, mask } = rawData(dims, 99);
  const out = await session.run({ x: new ort.Tensor('float32', x, dims), mask: new ort.Tensor('float32', mask, dims) });
  await session.release();
  return { out, x, mask };
}

function expectClose(actual: ort.Tensor | undefined, expected: Float32Array, dims: number[]): void {
  expect(actual?.dims).toEqual(dims);
  const a = actual!.data as Float32Array;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(a[i]! - expected[i]!));
  expect(Number.isFinite(worst)).toBe(true);
  expect(worst).toBeLessThanOrEqual(1e-4);
}

describe('scoring head', () => {
  it('computes reconstruction, score and feature_error for rows with NaN in missing cells (mse)', async () => {
    const model = rowsAutoencoder();
    const head: ScoringHeadOptions = { layout: 'rows', offset, scale, error: 'mse' };
    const { out, x, mask } = await runHead(model, head, [7, F]);
    const ref = referenceHead(model, head, x, mask, [7, F]);
    expectClose(out['reconstruction'], ref.reconstruction, [7, F]);
    expectClose(out['score'], ref.score, [7]);
    expectClose(out['feature_error'], ref.featureError, [7, F]);
  });

  it('uses the absolute error for mae', async () => {
    const model = rowsAutoencoder();
    const head: ScoringHeadOptions = { layout: 'rows', offset, scale, error: 'mae' };
    const { out, x, mask } = await runHead(model, head, [5, F]);
    expectClose(out['score'], referenceHead(model, head, x, mask, [5, F]).score, [5]);
  });

  it('exposes the latent layer output as latent [N,K]', async () => {
    const model = rowsAutoencoder();
    const head: ScoringHeadOptions = { layout: 'rows', offset, scale, error: 'mse', latentLayer: 'code' };
    const encoder = tf.model({ inputs: model.inputs, outputs: model.getLayer('code').output as tf.SymbolicTensor });
    const { out, x, mask } = await runHead(model, head, [6, F]);
    expectClose(out['latent'], referenceHead(model, head, x, mask, [6, F], encoder).latent!, [6, 2]);
  });

  it('averages feature_error over time and scores whole windows', async () => {
    const input = tf.input({ shape: [3, F] });
    const hidden = tf.layers.dense({ units: 3, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: F }).apply(hidden) as tf.SymbolicTensor });
    const head: ScoringHeadOptions = { layout: 'windows', offset, scale, error: 'mse' };
    const { out, x, mask } = await runHead(model, head, [4, 3, F]);
    const ref = referenceHead(model, head, x, mask, [4, 3, F]);
    expectClose(out['reconstruction'], ref.reconstruction, [4, 3, F]);
    expectClose(out['score'], ref.score, [4]);
    expectClose(out['feature_error'], ref.featureError, [4, F]);
  });

  it('wraps an LSTM encoder-decoder over windows and exposes its encoder state as latent', async () => {
    const input = tf.input({ shape: [5, F] });
    const code = tf.layers.lstm({ units: 3, name: 'code' }).apply(input) as tf.SymbolicTensor;
    const repeated = tf.layers.repeatVector({ n: 5 }).apply(code) as tf.SymbolicTensor;
    const decoded = tf.layers.lstm({ units: 4, returnSequences: true }).apply(repeated) as tf.SymbolicTensor;
    const out = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: F }) }).apply(decoded) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const encoder = tf.model({ inputs: input, outputs: code });
    const head: ScoringHeadOptions = { layout: 'windows', offset, scale, error: 'mae', latentLayer: 'code' };
    const { out: got, x, mask } = await runHead(model, head, [6, 5, F]);
    const ref = referenceHead(model, head, x, mask, [6, 5, F], encoder);
    expectClose(got['reconstruction'], ref.reconstruction, [6, 5, F]);
    expectClose(got['score'], ref.score, [6]);
    expectClose(got['feature_error'], ref.featureError, [6, F]);
    expectClose(got['latent'], ref.latent!, [6, 3]);
  });

  it('feeds [x, mask] to a two-input model and unrolls iterative imputation', async () => {
    const xIn = tf.input({ shape: [F] });
    const mIn = tf.input({ shape: [F] });
    const joined = tf.layers.concatenate().apply([xIn, mIn]) as tf.SymbolicTensor;
    const hidden = tf.layers.dense({ units: 6, activation: 'relu' }).apply(joined) as tf.SymbolicTensor;
    const model = tf.model({
      inputs: [xIn, mIn],
      outputs: tf.layers.dense({ units: F, activation: 'sigmoid' }).apply(hidden) as tf.SymbolicTensor,
    });
    const head: ScoringHeadOptions = { layout: 'rows', offset, scale, error: 'mse', maskInput: true, iterations: 3 };
    const { out, x, mask } = await runHead(model, head, [8, F]);
    const ref = referenceHead(model, head, x, mask, [8, F]);
    expectClose(out['reconstruction'], ref.reconstruction, [8, F]);
    expectClose(out['score'], ref.score, [8]);
  });

  it('runs batches of 1 and 256 rows in the same session (dynamic batch)', async () => {
    const model = rowsAutoencoder();
    const head: ScoringHeadOptions = { layout: 'rows', offset, scale, error: 'mse' };
    const session = await ort.InferenceSession.create(Buffer.from(exportToOnnx(model, { head })));
    for (const n of [1, 256]) {
      const { x, mask } = rawData([n, F], n);
      const out = await session.run({ x: new ort.Tensor('float32', x, [n, F]), mask: new ort.Tensor('float32', mask, [n, F]) });
      expectClose(out['score'], referenceHead(model, head, x, mask, [n, F]).score, [n]);
    }
    await session.release();
  });

  it('gives a score of 0 to a row with every cell missing', async () => {
    const model = rowsAutoencoder();
    const session = await ort.InferenceSession.create(
      Buffer.from(exportToOnnx(model, { head: { layout: 'rows', offset, scale, error: 'mse' } })),
    );
    const x = new Float32Array(F).fill(NaN);
    const out = await session.run({
      x: new ort.Tensor('float32', x, [1, F]),
      mask: new ort.Tensor('float32', new Float32Array(F), [1, F]),
    });
    await session.release();
    expect(Array.from(out['score']!.data as Float32Array)).toEqual([0]);
  });
});
