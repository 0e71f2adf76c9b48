import type { Manifest } from '../../../core/manifest';
import { attr, GraphBuilder, HEAD_INPUTS, HEAD_OUTPUTS } from '../../export';
import { encodeManifestGraph } from '../../export/encode-manifest-graph';
import { knnReferenceTerms } from '../../export/knn-reference-terms';
import { OnnxDataType } from '../../export/onnx-proto';
import type { SeriesDetector, SeriesScale } from './series-detector';

/**
 * auto-series' ONNX graph (opset 17, plain ops): inputs x, mask [N, T, F] (T = the largest scale); outputs
 * - score [N]: the mean over scales of RMS over the newest row's observed features of (newest row − the
 *   scale's neighbour's last row), scaled, divided by the scale's spread;
 * - feature_error [N, F]: the mean over scales of that squared difference / spread² per feature (0 where
 *   missing): the newest step, not a mean over T;
 * - reconstruction [N, T, F]: the largest scale's neighbour window in raw units.
 * Per scale (the last t rows of the window): the neighbour is TopK 2 of −d² (the one MatMul [m, s] × [−R²ᵀ; 2Rᵀ],
 * as auto's kNN), the exact masked d² of both by difference, and the first of them at a distance > 0 (a
 * training window is not its own neighbour). No latent (manifest latent_dim null).
 */
export function exportSeriesWindows(det: SeriesDetector, manifest: Manifest): Uint8Array {
  const g = new GraphBuilder();
  const { window: t, features: f } = det;
  const x = g.reserve(HEAD_INPUTS.x);
  const mask = g.reserve(HEAD_INPUTS.mask);
  const names = [HEAD_OUTPUTS.reconstruction, HEAD_OUTPUTS.score, HEAD_OUTPUTS.featureError];
  const [recName, scoreName, feName] = names.map((n) => g.reserve(n));
  const off = g.floatTensor(det.scaler.offset, [f], 'scaler_offset');
  const sc = g.floatTensor(det.scaler.scale, [f], 'scaler_scale');
  const observed = g.op('Greater', [mask, g.scalar(0.5)]);
  const m3 = g.op('Cast', [observed], { to: attr.int(OnnxDataType.FLOAT) });
  const s3 = g.op('Where', [observed, g.op('Div', [g.op('Sub', [x, off]), sc]), g.scalar(0)]);
  const flat = g.ints([-1, t * f]);
  const sAll = g.op('Reshape', [s3, flat]);
  const mAll = g.op('Reshape', [m3, flat]);
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
    const { chosen, e } = nearest(g, scale, s, m, d, f, si);
    const cell = g.op('Mul', [g.op('Mul', [e, e]), lastM]);
    const rms = g.op('Sqrt', [g.op('Div', [g.op('ReduceSum', [cell, one], { keepdims: attr.int(0) }), count])]);
    const z = g.op('Div', [rms, g.scalar(Math.fround(scale.spread * k))]);
    const zc = g.op('Div', [cell, g.scalar(Math.fround(scale.spread * scale.spread * k))]);
    scoreSum = scoreSum ? g.op('Add', [scoreSum, z]) : z;
    cellSum = cellSum ? g.op('Add', [cellSum, zc]) : zc;
    if (scale.window === t) chosenBig = chosen;
  });
  g.op('Identity', [scoreSum], {}, scoreName);
  g.op('Identity', [cellSum], {}, feName);
  const chosen3 = g.op('Reshape', [chosenBig, g.ints([-1, t, f])]);
  g.op('Add', [g.op('Mul', [chosen3, sc]), off], {}, recName);

  return encodeManifestGraph(g, manifest, {
    name: 'auto_series',
    docString: 'residual auto (time series): nearest training window, error of the newest step',
    inputs: [{ name: x, dims: ['N', t, f] }, { name: mask, dims: ['N', t, f] }],
    outputs: [{ name: recName!, dims: ['N', t, f] }, { name: scoreName!, dims: ['N'] }, { name: feName!, dims: ['N', f] }],
  });
}

/** One scale's neighbour window [N, D] and the newest step's error against it [N, F]. */
function nearest(
  g: GraphBuilder, scale: SeriesScale, s: string, m: string, d: number, f: number, si: number,
): { chosen: string; e: string } {
  const { reference, rows } = scale;
  const terms = g.floatTensor(knnReferenceTerms(reference, rows, d), [2 * d, rows], `reference_terms_${si}`);
  const closeness = g.op('MatMul', [g.op('Concat', [m, s], { axis: attr.int(1) }), terms]);
  const topAttrs = { axis: attr.int(1), largest: attr.int(1), sorted: attr.int(1) };
  const [, idx] = g.opMulti('TopK', [closeness, g.int64Tensor([2], [1], `top2_${si}`)], 2, topAttrs);
  const cand = g.op('Gather', [g.floatTensor(reference, [rows, d], `reference_${si}`), idx!], { axis: attr.int(0) }); // [N, 2, D]
  const one = g.ints([1]);
  const diff = g.op('Sub', [g.op('Unsqueeze', [s, one]), cand]);
  const masked = g.op('Mul', [g.op('Mul', [diff, diff]), g.op('Unsqueeze', [m, one])]);
  const d2 = g.op('ReduceSum', [masked, g.ints([2])], { keepdims: attr.int(0) });
  const pick = (tensor: string, i: number): string =>
    g.op('Gather', [tensor, g.int64Tensor([i], [], `pick${i}_${si}`)], { axis: attr.int(1) });
  const useFirst = g.op('Unsqueeze', [g.op('Greater', [pick(d2, 0), g.scalar(0)]), one]);
  const chosen = g.op('Where', [useFirst, pick(cand, 0), pick(cand, 1)]); // [N, D]
  const last = (tensor: string): string => g.op('Slice', [tensor, g.ints([d - f]), g.ints([d]), g.ints([1])]);
  return { chosen, e: g.op('Sub', [last(s), last(chosen)]) };
}
