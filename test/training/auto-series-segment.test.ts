import { Rng } from '../../core/rng';
import { neighbourTable } from '../../training/models/auto-series/neighbour-table';
import { fitSeriesDetector, scoreSeriesWindows } from '../../training/models/auto-series/series-detector';
import { trainModel, type TrainResult } from '../../training/train';
import { runGraph, segmentEqualsWindowsGraph, stageScoresOfBothGraphs } from './series-graphs';

/**
 * auto-series' segment graph (inputs [1, N + T − 1, F], ArgMax + the stored leave-one-out neighbour) against the
 * windows graph of older manifests (inputs [N, T, F], TopK 2) and the JS reference: the same scores, feature errors
 * and reconstructions, training rows (distance 0 to a reference window) and missing cells included.
 */
function series(n: number, seed: number, features = 1): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * features }, (_, c) => {
    const i = Math.floor(c / features);
    return 10 + (c % features) + 3 * Math.sin((2 * Math.PI * i) / (97 + 13 * (c % features))) + 0.3 * rng.normal();
  });
}

describe('auto-series segment graph', () => {
  const f = 2;
  const names = ['a', 'b'];
  const trainRows = series(500, 1, f);
  let result: TrainResult;
  beforeAll(async () => {
    const data = { features: names, values: trainRows };
    result = await trainModel({ kind: 'auto', timeColumn: 'timestamp', data, backend: 'cpu', progress: 'none' });
  });
  afterAll(() => result?.zoo.dispose());

  it('declares segment input in the manifest: x and mask [1, L, F]', () => {
    expect(result.manifest.window_input).toBe('segment');
    expect(result.manifest.onnx.inputs.map((i) => i.shape)).toEqual([[1, 'L', f], [1, 'L', f]]);
    expect(result.manifest.onnx.outputs.find((o) => o.name === 'reconstruction')!.shape).toEqual(['N', result.manifest.window!.size, f]);
  });

  it('scores the training rows and a continuation with missing cells as the windows graph and the JS reference do', async () => {
    const values = new Float32Array(trainRows.length + 400 * f);
    values.set(trainRows);
    values.set(series(400, 2, f), trainRows.length);
    for (const c of [2 * 520, 2 * 600 + 1, 2 * 601 + 1, 2 * 750]) values[c] = NaN;
    const det = fitSeriesDetector(trainRows, names);
    const t = det.window;
    const { segment, windows } = await segmentEqualsWindowsGraph(result, det, values, f);
    // the training windows are at distance 0 from a reference window: their neighbour is the JS reference's
    const want = scoreSeriesWindows(det, windows).score;
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(segment['score']![i]! - want[i]!) / Math.max(1e-2, want[i]!));
    expect(worst).toBeLessThan(1e-3);
    expect(segment['score']!.subarray(0, 500 - t).filter((s) => s === 0).length).toBeLessThan(10);
  });

  it('scores through onnxruntime and the window stage as an older (windows-input) manifest of the same detector does', async () => {
    const values = series(300, 4, f);
    values[2 * 100] = NaN;
    const det = fitSeriesDetector(trainRows, names);
    const scores = await stageScoresOfBothGraphs(result, det, values, 300, f);
    expect(scores[1]).toHaveLength(300);
    expect(scores[1]).toEqual(scores[0]);
    expect(scores[1]!.filter(Number.isFinite)).toHaveLength(300 - det.window + 1);
  });

  it('scores a segment of one window, and no window in a segment shorter than the window', async () => {
    const t = result.manifest.window!.size;
    const one = await runGraph(result.onnx!, series(t, 3, f), [1, t, f]);
    expect(one['score']!.length).toBe(1);
    expect(one['reconstruction']!.length).toBe(t * f);
    const none = await runGraph(result.onnx!, series(t - 1, 3, f), [1, t - 1, f]);
    expect([none['score']!.length, none['feature_error']!.length]).toEqual([0, 0]);
  });

  it('stores each reference window\'s nearest other window, ties to the lower index', () => {
    const ref = Float32Array.from([0, 0, 5, 5, 0, 0, 1, 1, 9, 9]);
    expect(neighbourTable(ref, 5, 2)).toEqual([2, 3, 0, 0, 1]);
  });
});
