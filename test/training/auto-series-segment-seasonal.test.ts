import { Rng } from '../../core/rng';
import { fitSeriesDetector, scoreSeriesWindows } from '../../training/models/auto-series/series-detector';
import { trainModel, type TrainResult } from '../../training/train';
import { runGraph, segmentEqualsWindowsGraph, stageScoresOfBothGraphs } from './series-graphs';

/**
 * auto-series' segment graph with a seasonal member (graph window T = P + 1 longer than the largest scale l): the
 * windows' last l rows gathered from the segment, the newest row and the row P back sliced from its scaled rows,
 * the reconstruction's first T − l rows from the segment. Against the windows graph a manifest without
 * window_input carries (export-series-windows.ts, the graph before the segment input) and the JS reference.
 */
function stepped(n: number, period: number, seed: number, f: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * f }, (_, c) => {
    const i = Math.floor(c / f);
    const up = i % period >= 40 && i % period < 48 && Math.floor(i / period) !== 7;
    return 5 + (c % f) + (up ? 3 : 0) + 0.05 * rng.normal() + 0.5 * Math.sin((2 * Math.PI * i) / 23);
  });
}

describe('auto-series segment graph with a seasonal member', () => {
  const f = 2;
  const names = ['a', 'b'];
  const period = 96;
  const trainRows = stepped(480, period, 1, f);
  let result: TrainResult;
  beforeAll(async () => {
    const data = { features: names, values: trainRows };
    result = await trainModel({ kind: 'auto', timeColumn: 'timestamp', data, backend: 'cpu', progress: 'none' });
  });
  afterAll(() => result?.zoo.dispose());

  it('scores as the windows graph and the JS reference do: scores, feature errors, reconstruction (missing cells too)', async () => {
    const det = fitSeriesDetector(trainRows, names);
    expect(det.seasonal?.period).toBe(period);
    const t = det.window;
    const l = det.scales[det.scales.length - 1]!.window;
    expect(t).toBe(period + 1);
    expect(l).toBeLessThan(t);
    expect(result.manifest.window).toEqual({ size: t, stride: 1 });
    expect(result.manifest.window_input).toBe('segment');
    const values = stepped(900, period, 2, f);
    // missing cells in a newest row, in a row P back of a later one, and in the reconstruction's head rows
    for (const c of [2 * 300, 2 * 300 + 1, 2 * 401 + 1, 2 * 500, 2 * 610 + 1]) values[c] = NaN;
    const { segment, windows } = await segmentEqualsWindowsGraph(result, det, values, f);
    // the reconstruction's head is the window's own rows, missing cells at the offset
    const w = 300 - 5; // window 295 holds row 300 at position 5 (< T − l)
    expect(segment['reconstruction']![(w * t + 5) * f]).toBe(Math.fround(det.scaler.offset[0]!));
    expect(segment['reconstruction']![(w * t + 6) * f]).toBe(values[301 * f]);
    const want = scoreSeriesWindows(det, windows);
    let worst = 0;
    for (let i = 0; i < want.score.length; i++) {
      worst = Math.max(worst, Math.abs(segment['score']![i]! - want.score[i]!) / Math.max(1e-2, want.score[i]!));
    }
    expect(worst).toBeLessThan(1e-5);
  });

  it('scores in pieces through the window stage as a manifest without window_input (windows graph) does', async () => {
    const det = fitSeriesDetector(trainRows, names);
    const values = stepped(500, period, 4, f);
    values[2 * 150] = NaN;
    const scores = await stageScoresOfBothGraphs(result, det, values, 500, f);
    expect(scores[1]).toHaveLength(500);
    expect(scores[1]).toEqual(scores[0]);
    expect(scores[1]!.filter(Number.isFinite)).toHaveLength(500 - det.window + 1);
  });

  it('scores a segment of exactly one window, and none in a shorter one', async () => {
    const t = result.manifest.window!.size;
    const one = await runGraph(result.onnx!, stepped(t, period, 3, f), [1, t, f]);
    expect([one['score']!.length, one['reconstruction']!.length]).toEqual([1, t * f]);
    const none = await runGraph(result.onnx!, stepped(t - 1, period, 3, f), [1, t - 1, f]);
    expect([none['score']!.length, none['feature_error']!.length, none['reconstruction']!.length]).toEqual([0, 0, 0]);
  });
});
