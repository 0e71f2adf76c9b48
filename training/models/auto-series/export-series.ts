import type { Manifest } from '../../../core/manifest';
import { attr, GraphBuilder, HEAD_INPUTS, HEAD_OUTPUTS } from '../../export';
import { encodeManifestGraph } from '../../export/encode-manifest-graph';
import { segmentWindows } from './export-series-segment';
import { seriesNeighbour } from './export-series-nearest';
import type { SeriesDetector } from './series-detector';

/**
 * auto-series' ONNX graph (opset 17, plain ops; manifest `window_input: 'segment'`): inputs x, mask [1, L, F], L
 * consecutive rows, scored as the N = L − T + 1 windows of T rows (T = the largest scale) ending at rows T−1 … L−1
 * (export-series-segment.ts builds them in the graph). The graph of older manifests, inputs [N, T, F] windows, is
 * export-series-windows.ts. Outputs
 * - score [N]: the mean over scales of RMS over the newest row's observed features of (newest row − the
 *   scale's neighbour's last row), scaled, divided by the scale's spread;
 * - feature_error [N, F]: the mean over scales of that squared difference / spread² per feature (0 where
 *   missing): the newest step, not a mean over T;
 * - reconstruction [N, T, F]: the largest scale's neighbour window in raw units.
 * Per scale (the last t rows of the window): the nearest reference window, or its leave-one-out neighbour where
 * the window is at distance 0 from it (export-series-nearest.ts). No latent (manifest latent_dim null).
 */
export function exportSeries(det: SeriesDetector, manifest: Manifest): Uint8Array {
  const g = new GraphBuilder();
  const { window: t, features: f } = det;
  const x = g.reserve(HEAD_INPUTS.x);
  const mask = g.reserve(HEAD_INPUTS.mask);
  const names = [HEAD_OUTPUTS.reconstruction, HEAD_OUTPUTS.score, HEAD_OUTPUTS.featureError];
  const [recName, scoreName, feName] = names.map((n) => g.reserve(n));
  const off = g.floatTensor(det.scaler.offset, [f], 'scaler_offset');
  const sc = g.floatTensor(det.scaler.scale, [f], 'scaler_scale');
  const { s: sAll, m: mAll } = segmentWindows(g, x, mask, off, sc, t, f);
  const one = g.ints([1]);
  const k = det.scales.length;
  let scoreSum = '';
  let cellSum = '';
  let chosenBig = '';
  const tail = (tensor: string, from: number, to: number): string =>
    g.op('Slice', [tensor, g.ints([from]), g.ints([to]), g.ints([1])]);
  // the newest row's mask and observed count, the same at every scale
  const lastM = tail(mAll, (t - 1) * f, t * f);
  const count = g.op('Max', [g.op('ReduceSum', [lastM, one], { keepdims: attr.int(0) }), g.scalar(1)]);
  det.scales.forEach((scale, si) => {
    const d = scale.window * f;
    const s = scale.window === t ? sAll : tail(sAll, (t - scale.window) * f, t * f);
    const m = scale.window === t ? mAll : tail(mAll, (t - scale.window) * f, t * f);
    const { index, e } = seriesNeighbour(g, scale, s, m, d, f, si);
    const cell = g.op('Mul', [g.op('Mul', [e, e]), lastM]);
    const rms = g.op('Sqrt', [g.op('Div', [g.op('ReduceSum', [cell, one], { keepdims: attr.int(0) }), count])]);
    const z = g.op('Div', [rms, g.scalar(Math.fround(scale.spread * k))]);
    const zc = g.op('Div', [cell, g.scalar(Math.fround(scale.spread * scale.spread * k))]);
    scoreSum = scoreSum ? g.op('Add', [scoreSum, z]) : z;
    cellSum = cellSum ? g.op('Add', [cellSum, zc]) : zc;
    if (scale.window === t) chosenBig = index;
  });
  g.op('Identity', [scoreSum], {}, scoreName);
  g.op('Identity', [cellSum], {}, feName);
  // the neighbour window in raw units: fround(fround(r · scale) + offset), as Mul and Add on it would give
  const big = det.scales[k - 1]!;
  const [so, ss] = [det.scaler.offset, det.scaler.scale];
  const raw = big.reference.map((v, c) => Math.fround(Math.fround(v * Math.fround(ss[c % f]!)) + Math.fround(so[c % f]!)));
  const rec = g.op('Gather', [g.floatTensor(raw, [big.rows, t * f], 'reference_raw'), chosenBig], { axis: attr.int(0) });
  g.op('Reshape', [rec, g.ints([-1, t, f])], {}, recName);

  return encodeManifestGraph(g, manifest, {
    name: 'auto_series',
    docString: 'residual auto (time series): nearest training window, error of the newest step',
    inputs: [{ name: x, dims: [1, 'L', f] }, { name: mask, dims: [1, 'L', f] }],
    outputs: [{ name: recName!, dims: ['N', t, f] }, { name: scoreName!, dims: ['N'] }, { name: feName!, dims: ['N', f] }],
  });
}
