import * as ort from 'onnxruntime-node';
import { parseManifestJson } from '../../core/manifest';
import { AnomalyLikelihood } from '../../core/probability/anomaly-likelihood';
import { Rng } from '../../core/rng';
import { chooseWindow } from '../../training/models/auto-series/choose-window';
import { fitSeriesDetector, scaleWindows, scoreSeriesWindows, trainingWindows } from '../../training/models/auto-series/series-detector';
import { TrainingConfigError } from '../../training/errors';
import { trainModel, type TrainResult } from '../../training/train';

/**
 * kind 'auto' with a time column (auto-series): the window from the data, the choices in the manifest, ONNX =
 * the JS reference (missing cells included), per-row scores sharper than the window's (a 5-row spike), a
 * probability that flags the spike, and the documented outcomes of a constant and a too-short series.
 */
function series(n: number, period: number, seed: number, noise = 0.1): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, (_, i) => 10 + 3 * Math.sin((2 * Math.PI * i) / period) + noise * rng.normal());
}

/** Runs a one-feature auto-series graph on every window of `values`: the segment graph on the rows, the windows graph on windows. */
async function runOnnx(
  onnx: Uint8Array, values: Float32Array, t: number, input: 'segment' | 'windows' = 'segment',
): Promise<Record<string, ort.Tensor>> {
  const x = input === 'segment' ? values : trainingWindows(values, 1, t);
  const dims = input === 'segment' ? [1, values.length, 1] : [x.length / t, t, 1];
  const mask = x.map((v) => (Number.isNaN(v) ? 0 : 1));
  const session = await ort.InferenceSession.create(onnx);
  try {
    return await session.run({ x: new ort.Tensor('float32', x, dims), mask: new ort.Tensor('float32', mask, dims) });
  } finally {
    await session.release();
  }
}

const train = (values: Float32Array): Promise<TrainResult> =>
  trainModel({ kind: 'auto', timeColumn: 'timestamp', data: { features: ['value'], values }, backend: 'cpu', progress: 'none' });

describe('auto-series', () => {
  let result: TrainResult;
  const trainRows = series(600, 288, 1);

  beforeAll(async () => {
    result = await train(trainRows);
  });
  afterAll(() => result?.zoo.dispose());

  it('chooses the window from the dominant period, bounded, and falls back to 16 without one', () => {
    expect(chooseWindow(series(800, 320, 2))).toMatchObject({ period: 320, window: 20 });
    expect(chooseWindow(series(800, 40, 2))).toMatchObject({ period: 40, window: 16 });
    const rng = new Rng(4);
    expect(chooseWindow(Float32Array.from({ length: 500 }, () => rng.normal()))).toMatchObject({ period: null, window: 16 });
  });

  it('takes no period from a slowly decaying autocorrelation with a small bump: a cycle must swing by 0.25', () => {
    // an AR(1) drift (φ 0.99) with a faint 20-row ripple: the autocorrelation stays near 0.6-0.9 with local maxima at
    // lags 17 (0.63) and later, which the rule without the swing took as a period (a seasonal member comparing noise)
    const rng = new Rng(5);
    let ar = 0;
    const drift = Float32Array.from({ length: 700 }, (_, i) => {
      ar = 0.99 * ar + rng.normal();
      return ar + 1.5 * Math.sin((2 * Math.PI * i) / 20);
    });
    expect(chooseWindow(drift)).toMatchObject({ period: null, window: 16 });
    // a real cycle passes through anti-phase (autocorrelation about −1 at half the period) and keeps its period
    expect(chooseWindow(series(700, 60, 3, 0.5))).toMatchObject({ period: 60, window: 16 });
  });

  it('records every choice in the manifest: windows layout, time column, auto and probability blocks', () => {
    const m = result.manifest;
    expect(m.kind).toBe('auto');
    expect(m.layout).toBe('windows');
    // scales w/2, w, 2w of the chosen window w = 18, and a seasonal member one period P back: the graph reads P + 1 rows
    const period = m.auto?.['period'] as number;
    expect(Math.abs(period - 288)).toBeLessThanOrEqual(2);
    expect(m.window).toEqual({ size: period + 1, stride: 1 });
    expect(m.time_column).toBe('timestamp');
    expect(m.latent_dim).toBeNull();
    expect(m.auto).toMatchObject({ window: 18, graph_window: period + 1, reference_windows: 583, reference_stride: 1, warnings: [] });
    const scales = m.auto?.['scales'] as { window: number; reference_windows: number; spread: number; weight: number }[];
    expect(scales.map((s) => [s.window, s.reference_windows])).toEqual([[9, 592], [18, 583], [36, 565]]);
    const seasonal = m.auto?.['seasonal'] as { period: number; spread: number; weight: number };
    expect(seasonal).toMatchObject({ period, weight: Math.fround(0.2) });
    expect(seasonal.spread).toBeGreaterThan(0);
    for (const s of scales) expect(s.spread).toBeGreaterThan(0);
    for (const s of scales) expect(s.weight).toBeGreaterThan(0);
    expect(scales.reduce((a, s) => a + s.weight, seasonal.weight)).toBeCloseTo(1, 6);
    for (const k of ['window_reason', 'reference_reason', 'scales_reason', 'seasonal_reason', 'weights_reason', 'score',
      'threshold_rule', 'probability_rule'])
      expect(typeof m.auto?.[k]).toBe('string');
    expect(m.probability).toMatchObject({ method: 'anomaly-likelihood', threshold: 0.5 });
    expect(m.probability?.params).toMatchObject({ short: 10, long: 1000, refractory: 30 });
    expect(parseManifestJson(JSON.stringify(m))).toEqual(m);
  });

  it('scores in ONNX what the JS reference scores, missing cells included', async () => {
    const test = series(400, 288, 9);
    test[50] = NaN;
    test[120] = NaN;
    const t = result.manifest.window!.size;
    const windows = trainingWindows(test, 1, t);
    const det = fitSeriesDetector(trainRows, ['value']);
    const want = scoreSeriesWindows(det, windows);
    const got = await runOnnx(result.onnx!, test, t);
    const score = got['score']!.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < want.score.length; i++)
      worst = Math.max(worst, Math.abs(score[i]! - want.score[i]!) / Math.max(1e-2, want.score[i]!));
    expect(worst).toBeLessThan(1e-3);
    expect(got['feature_error']!.dims).toEqual([want.score.length, 1]);
    expect(got['reconstruction']!.dims).toEqual([want.score.length, t, 1]);
    // before the largest scale's 36 rows the reconstruction is the input itself (the seasonal member's longer window)
    const rec = got['reconstruction']!.data as Float32Array;
    for (const w of [0, 60]) {
      for (let r = 0; r < t - 36; r++) if (Number.isFinite(windows[w * t + r]!)) expect(rec[w * t + r]).toBe(windows[w * t + r]);
    }
    expect([...score].every(Number.isFinite)).toBe(true);
  });

  it('gives the training windows leave-one-out scores, not zeros', async () => {
    const t = result.manifest.window!.size;
    const score = (await runOnnx(result.onnx!, trainRows, t))['score']!.data as Float32Array;
    expect([...score].filter((s) => s === 0).length).toBeLessThan(score.length / 20);
  });

  it('flags a 5-row spike on its rows and fewer than window-many after it; the probability flags it once', async () => {
    const test = series(900, 288, 5);
    for (let i = 600; i < 605; i++) test[i] = test[i]! + 4;
    const t = result.manifest.window!.size;
    const score = (await runOnnx(result.onnx!, test, t))['score']!.data as Float32Array;
    const rowScore = new Float32Array(test.length).fill(NaN);
    rowScore.set(score, t - 1); // a row's score is that of the window ending at it
    const flagged = [...rowScore].flatMap((s, i) => (s > result.manifest.threshold.value ? [i] : []));
    expect(flagged.filter((i) => i >= 600 && i < 605).length).toBeGreaterThanOrEqual(4);
    // the rows after the spike still have it in their context: fewer than L − 5 of the 2L after it score high (L = 36,
    // the largest nearest-window scale); one period later the seasonal member sees it again (an echo of weight 0.2)
    const l = 36;
    expect(flagged.filter((i) => i >= 605 && i < 605 + 2 * l).length).toBeLessThan(l - 5);
    const p = new AnomalyLikelihood(result.manifest.probability!).push(rowScore);
    const alarms = [...p].flatMap((v, i) => (v >= result.manifest.probability!.threshold ? [i] : []));
    expect(alarms.some((i) => i >= 600 && i < 610)).toBe(true);
    expect(alarms.filter((i) => i < 600 || i >= 640).length).toBeLessThanOrEqual(1);
  });

  it('trains on a constant series with a warning; a constant continuation scores 0 and raises no alarm', async () => {
    const flat = await train(new Float32Array(200).fill(5));
    try {
      const m = flat.manifest;
      expect(m.auto?.['warnings']).toEqual([expect.stringMatching(/constant training values in 1 of 1 feature\(s\) \(value\)/)]);
      const t = m.window!.size;
      const test = new Float32Array(300).fill(5);
      test[250] = 6;
      const score = (await runOnnx(flat.onnx!, test, t))['score']!.data as Float32Array;
      expect(score[250 - t + 1]).toBeCloseTo(1, 5);
      const p = new AnomalyLikelihood(m.probability!).push(score);
      expect(Math.max(...p.subarray(0, 250 - t + 1))).toBeLessThan(0.1);
      expect(p[250 - t + 1]).toBeGreaterThanOrEqual(0.5);
    } finally {
      flat.zoo.dispose();
    }
  });

  it('keeps only the scales the training rows hold two windows of, and one scale for a given window', () => {
    expect(scaleWindows(16, 40, false)).toEqual([8, 16]);
    expect(scaleWindows(16, 64, false)).toEqual([8, 16, 32]);
    expect(scaleWindows(20, 500, true)).toEqual([20]);
    const det = fitSeriesDetector(series(40, 288, 3), ['value']);
    expect(det.scales.map((s) => s.window)).toEqual([8, 16]);
    expect(det.window).toBe(16);
  });

  it('refuses a series shorter than the minimum, naming the rows it needs', async () => {
    await expect(train(series(20, 288, 3))).rejects.toThrow(TrainingConfigError);
    await expect(train(series(20, 288, 3))).rejects.toThrow(/needs at least 32 training rows, got 20/);
  });
});
