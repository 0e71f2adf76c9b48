import { appendFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { exportToOnnx, type ExportOptions } from '../../../training/export';

/** Parity helper shared by every exporter and model-zoo test (not a test file itself). */
export interface ParityOptions {
  /** Batch sizes to run (default [1, 7, 256]). */
  batchSizes?: number[];
  /** Size used for non-batch dimensions that the model leaves unknown (default 5). */
  unknownDim?: number;
  /** Random inputs are uniform in [-range, range] (default 2). */
  range?: number;
  seed?: number;
  /** Thresholds that make the helper throw (defaults 1e-4 and 1e-5, the acceptance bar). */
  maxAbs?: number;
  relL2?: number;
  /** Passed to exportToOnnx (without `head`: the parity compares the bare model). */
  exportOptions?: Omit<ExportOptions, 'head'>;
}

export interface ParityResult {
  maxAbs: number;
  relL2: number;
  batches: { batch: number; maxAbs: number; relL2: number }[];
  /** tf.memory().numTensors after minus before export + predict (0 means no leak). */
  leakedTensors: number;
}

/** Deterministic uniform random numbers (mulberry32). */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function compare(actual: ArrayLike<number>, expected: ArrayLike<number>): { maxAbs: number; relL2: number } {
  if (actual.length !== expected.length) throw new Error(`output sizes differ: onnx ${actual.length}, tfjs ${expected.length}`);
  let maxAbs = 0;
  let diff2 = 0;
  let ref2 = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i]! - expected[i]!);
    if (!(d <= maxAbs)) maxAbs = Number.isNaN(d) ? Infinity : d;
    diff2 += d * d;
    ref2 += expected[i]! * expected[i]!;
  }
  return { maxAbs, relL2: Math.sqrt(diff2) / Math.max(Math.sqrt(ref2), 1e-12) };
}

/**
 * Set RESIDUAL_PARITY_LOG=<file> to append one JSON line per call with the measured errors.
 * Exports `model`, opens the bytes in a real onnxruntime-node session and compares every output with
 * `model.predict` on fresh random inputs at each batch size. Throws when an error exceeds the thresholds
 * or tensors leak; returns the measured worst errors.
 */
export async function assertOnnxParity(model: tf.LayersModel, options: ParityOptions = {}): Promise<ParityResult> {
  const batchSizes = options.batchSizes ?? [1, 7, 256];
  const rand = seededUniform(options.seed ?? 1234);
  const range = options.range ?? 2;
  const before = tf.memory().numTensors;
  const bytes = exportToOnnx(model, options.exportOptions ?? {});
  const session = await ort.InferenceSession.create(Buffer.from(bytes));
  const result: ParityResult = { maxAbs: 0, relL2: 0, batches: [], leakedTensors: 0 };
  try {
    for (const batch of batchSizes) {
      const feeds: Record<string, ort.Tensor> = {};
      const inputs = model.inputs.map((t, i) => {
        const dims = t.shape.map((d, j) => (j === 0 ? batch : d ?? options.unknownDim ?? 5));
        const values = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => (rand() * 2 - 1) * range);
        feeds[session.inputNames[i]!] = new ort.Tensor('float32', values, dims);
        return tf.tensor(values, dims);
      });
      const predicted = model.predict(inputs.length === 1 ? inputs[0]! : inputs);
      const expected = (Array.isArray(predicted) ? predicted : [predicted]).map((p) => p.dataSync().slice());
      tf.dispose(inputs);
      tf.dispose(predicted);
      const out = await session.run(feeds);
      let worst = { maxAbs: 0, relL2: 0 };
      expected.forEach((e, i) => {
        const name = session.outputNames[i]!;
        const c = compare(out[name]!.data as Float32Array, e);
        worst = { maxAbs: Math.max(worst.maxAbs, c.maxAbs), relL2: Math.max(worst.relL2, c.relL2) };
      });
      result.batches.push({ batch, ...worst });
      result.maxAbs = Math.max(result.maxAbs, worst.maxAbs);
      result.relL2 = Math.max(result.relL2, worst.relL2);
    }
  } finally {
    await session.release();
  }
  result.leakedTensors = tf.memory().numTensors - before;
  const logFile = process.env['RESIDUAL_PARITY_LOG'];
  if (logFile) {
    const state = (globalThis as { expect?: { getState(): { currentTestName?: string; testPath?: string } } }).expect?.getState();
    appendFileSync(
      logFile,
      `${JSON.stringify({
        file: state?.testPath?.split('/').pop(),
        test: state?.currentTestName,
        model: model.name,
        maxAbs: result.maxAbs,
        relL2: result.relL2,
      })}\n`,
    );
  }
  const maxAbs = options.maxAbs ?? 1e-4;
  const relL2 = options.relL2 ?? 1e-5;
  if (!(result.maxAbs <= maxAbs) || !(result.relL2 <= relL2) || result.leakedTensors !== 0) {
    throw new Error(`ONNX parity failed for model '${model.name}': ${JSON.stringify(result)} (limits maxAbs ${maxAbs}, relL2 ${relL2})`);
  }
  return result;
}

/**
 * Overwrites every weight of `model` with seeded random values in [-0.5, 0.5] (variances in [0.5, 1.5]) so
 * parity tests exercise non-trivial biases and normalization statistics.
 */
export function randomizeWeights(model: tf.LayersModel, seed = 7): void {
  const rand = seededUniform(seed);
  for (const layer of model.layers) {
    const values = layer.getWeights().map((w, i) => {
      const isVariance = layer.weights[i]!.originalName.endsWith('variance');
      return tf.tensor(Float32Array.from({ length: w.size }, () => (isVariance ? 0.5 + rand() : rand() - 0.5)), w.shape);
    });
    if (values.length) layer.setWeights(values);
    tf.dispose(values);
  }
}

/** A Sequential model of `layers` after an InputLayer of `inputShape`, weights randomised unless `randomize` is false. */
export function sequentialOf(inputShape: number[], layers: tf.layers.Layer[], randomize = true): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape }));
  layers.forEach((l) => model.add(l));
  if (randomize) randomizeWeights(model);
  return model;
}
