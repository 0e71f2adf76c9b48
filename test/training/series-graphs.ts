import * as ort from 'onnxruntime-node';
import { parseManifest } from '../../core/manifest';
import { createOnnxScorer } from '../../scoring/adapters/onnx-scorer';
import { createScoringStage } from '../../scoring/window-stage';
import { exportSeriesWindows } from '../../training/models/auto-series/export-series-windows';
import { trainingWindows, type fitSeriesDetector } from '../../training/models/auto-series/series-detector';
import type { TrainResult } from '../../training/train';

/** Helpers of the auto-series graph tests (segment graph against the windows graph of older manifests). */

/** One onnxruntime run of `onnx` on `x` (NaN = missing) with its mask, every output read back. */
export async function runGraph(onnx: Uint8Array, x: Float32Array, dims: number[]): Promise<Record<string, Float32Array>> {
  const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: 1 });
  try {
    const mask = x.map((v) => (Number.isNaN(v) ? 0 : 1));
    const out = await session.run({ x: new ort.Tensor('float32', x, dims), mask: new ort.Tensor('float32', mask, dims) });
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
  } finally {
    await session.release();
  }
}

/**
 * `values` (rows × f, NaN = missing) scored in pieces of 70 rows through the window stage twice: by the windows graph
 * of the same detector under a manifest without `window_input` (as older manifests are), then by `result`'s own
 * segment graph. Returns [windows scores, segment scores].
 */
export async function stageScoresOfBothGraphs(
  result: TrainResult, det: ReturnType<typeof fitSeriesDetector>, values: Float32Array, rows: number, f: number,
): Promise<number[][]> {
  const { window_input: _, onnx: section, ...rest } = result.manifest;
  const inputs = section.inputs.map((i) => ({ ...i, shape: ['N', det.window, f] }));
  const legacy = parseManifest({ ...rest, onnx: { ...section, inputs } });
  const scores: number[][] = [];
  for (const [onnx, manifest] of [[exportSeriesWindows(det, legacy), legacy], [result.onnx!, result.manifest]] as const) {
    const scorer = await createOnnxScorer(onnx, manifest);
    expect(scorer.inputShape).toBe(manifest === legacy ? 'windows' : 'segment');
    const stage = createScoringStage(scorer, f, det.window, ['score', 'featureError'], 50);
    const got: number[] = [];
    const mask = values.map((v) => (Number.isNaN(v) ? 0 : 1));
    for (let r = 0; r < rows; r += 70) {
      const k = Math.min(70, rows - r);
      got.push(...(await stage.push(values.slice(r * f, (r + k) * f), mask.slice(r * f, (r + k) * f), k)).score!);
    }
    got.push(...(await stage.flush()).score!);
    await scorer.release();
    scores.push(got);
  }
  return scores;
}

/**
 * `values` (rows × f) through `result`'s segment graph in one run and through the windows graph of older manifests
 * on the same windows: scores, feature errors and reconstructions must be equal. Returns both runs and the windows.
 */
export async function segmentEqualsWindowsGraph(
  result: TrainResult, det: ReturnType<typeof fitSeriesDetector>, values: Float32Array, f: number,
): Promise<{ segment: Record<string, Float32Array>; windows: Float32Array }> {
  const t = det.window;
  const rows = values.length / f;
  const segment = await runGraph(result.onnx!, values, [1, rows, f]);
  const { window_input: _, ...legacy } = result.manifest;
  const windows = trainingWindows(values, f, t);
  const old = await runGraph(exportSeriesWindows(det, legacy), windows, [rows - t + 1, t, f]);
  expect(segment['score']!.length).toBe(rows - t + 1);
  expect([...segment['score']!]).toEqual([...old['score']!]);
  expect([...segment['feature_error']!]).toEqual([...old['feature_error']!]);
  expect([...segment['reconstruction']!]).toEqual([...old['reconstruction']!]);
  return { segment, windows };
}
