import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { exportToOnnx, type ScoringHeadOptions } from '../../../training/export';
import { decodeModel } from '../../../training/export/onnx-proto';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const F = 4;
const offset = [1, -2, 0.5, 10];
const scale = [2, 0.5, 1, 4];
const BIG = 3e38;

/**
 * One dense layer: r0 = 0.5·s0, r1 = -s1 + 0.25 and, when `poisoned`, r2 = NaN (a NaN weight) and r3 = BIG·s0 + BIG
 * (+Inf for s0 > 0, -Inf below -2; the raw reconstruction BIG·4 + 10 overflows in any case); else r2 = r3 = 0.
 */
function nonFiniteModel(poisoned = true): tf.LayersModel {
  const input = tf.input({ shape: [F] });
  const layer = tf.layers.dense({ units: F, name: 'out' });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
  const kernel = [
    [0.5, 0, poisoned ? NaN : 0, poisoned ? BIG : 0],
    [0, -1, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ];
  layer.setWeights([tf.tensor2d(kernel), tf.tensor1d([0, 0.25, 0, poisoned ? BIG : 0])]);
  return model;
}

/** Expected per-cell error of the two observed cells (float64; the head works in float32). */
function observedErrors(x: number[], error: 'mse' | 'mae'): [number, number] {
  const s = [(x[0]! - offset[0]!) / scale[0]!, (x[1]! - offset[1]!) / scale[1]!];
  const d = [0.5 * s[0]! - s[0]!, -s[1]! + 0.25 - s[1]!];
  return error === 'mse' ? [d[0]! ** 2, d[1]! ** 2] : [Math.abs(d[0]!), Math.abs(d[1]!)];
}

async function run(head: ScoringHeadOptions, rows: number[][], mask: number[][], poisoned = true) {
  const session = await ort.InferenceSession.create(Buffer.from(exportToOnnx(nonFiniteModel(poisoned), { head })));
  const dims = [rows.length, F];
  const feeds = {
    x: new ort.Tensor('float32', Float32Array.from(rows.flat()), dims),
    mask: new ort.Tensor('float32', Float32Array.from(mask.flat()), dims),
  };
  const out = await session.run(feeds);
  await session.release();
  return { score: out['score']!.data as Float32Array, featureError: out['feature_error']!.data as Float32Array };
}

describe('scoring head with non-finite values', () => {
  // missing cells hold NaN, ±Inf and a float32-overflowing value; cells 2 and 3 reconstruct to NaN and ±Inf
  const rows = [
    [3, -1.5, NaN, Infinity],
    [-1, -2, -Infinity, NaN],
    [1.4, 0, Infinity, -Infinity],
    [-9, 4, 1e38, NaN],
  ];
  const missing23 = rows.map(() => [1, 1, 0, 0]);

  it.each(['mse', 'mae'] as const)('keeps score and feature_error finite when missing cells hold NaN/Inf (%s)', async (error) => {
    const { score, featureError } = await run({ layout: 'rows', offset, scale, error }, rows, missing23);
    rows.forEach((x, i) => {
      const [e0, e1] = observedErrors(x, error);
      expect(Number.isFinite(score[i]!)).toBe(true);
      expect(score[i]).toBeCloseTo((e0 + e1) / 2, 5);
      expect(featureError[i * F]).toBeCloseTo(e0, 5);
      expect(featureError[i * F + 1]).toBeCloseTo(e1, 5);
      expect(Object.is(featureError[i * F + 2], 0)).toBe(true);
      expect(Object.is(featureError[i * F + 3], 0)).toBe(true);
    });
  });

  it('scores a row with no observed cell 0 whatever its cells hold', async () => {
    const { score, featureError } = await run({ layout: 'rows', offset, scale, error: 'mse' }, rows, rows.map(() => [0, 0, 0, 0]));
    expect([...score]).toEqual([0, 0, 0, 0]);
    expect([...featureError].every((v) => Object.is(v, 0))).toBe(true);
  });

  it('keeps an observed overflow visible: Inf error on the observed cell, Inf score', async () => {
    const x = [[3, -1.5, 0.5, 10]];
    const { score, featureError } = await run({ layout: 'rows', offset, scale, error: 'mse' }, x, [[1, 1, 0, 1]]);
    expect(featureError[3]).toBe(Infinity);
    expect(score[0]).toBe(Infinity);
    expect(Object.is(featureError[2], 0)).toBe(true);
  });

  it('keeps NaN/Inf of missing input cells out of the iterative head (finite reconstructions re-fed)', async () => {
    const head: ScoringHeadOptions = { layout: 'rows', offset, scale, error: 'mse', iterations: 3 };
    const { score, featureError } = await run(head, rows, missing23, false);
    rows.forEach((x, i) => {
      const [e0, e1] = observedErrors(x, 'mse');
      expect(score[i]).toBeCloseTo((e0 + e1) / 2, 5);
      expect(Object.is(featureError[i * F + 2], 0)).toBe(true);
    });
  });

  it('emits no Where after the last iteration and no Identity copy of feature_error (rows)', () => {
    const ops = (iterations: number) => {
      const head: ScoringHeadOptions = { layout: 'rows', offset, scale, error: 'mse', iterations };
      const m = decodeModel(exportToOnnx(nonFiniteModel(false), { head })) as { graph: { node: { op_type: string }[] } };
      return m.graph.node.map((n) => n.op_type);
    };
    expect(ops(1).filter((o) => o === 'Where')).toHaveLength(2);
    expect(ops(3).filter((o) => o === 'Where')).toHaveLength(4);
    expect(ops(1)).not.toContain('Identity');
  });
});
