import type { Manifest } from '../../../core/manifest';
import { attr, GraphBuilder } from '../../export';
import { encodeManifestGraph } from '../../export/encode-manifest-graph';
import { knnReferenceTerms } from '../../export/knn-reference-terms';
import { OnnxDataType } from '../../export/onnx-proto';
import { lastRows, paddedReconstruction, seasonalTerms } from './export-series-seasonal';
import { scaleTerms } from './scale-terms';
import { seriesGraphHead } from './series-graph-head';
import { type SeriesDetector, type SeriesScale } from './series-detector';

/**
 * auto-series' windows graph: what manifests without `window_input: 'segment'` carry (trained before the segment
 * graph, export-series.ts, which training now exports; this one is kept for tests, the side-by-side benchmark and as
 * the reference the segment graph is checked against). Opset 17, plain ops: inputs x, mask [N, T, F] (T = the largest
 * scale, or P + 1 with a seasonal member of period P when that is longer); outputs
 * - score [N]: the weighted sum over members (weights sum to 1) of each one's RMS over the newest row's observed
 *   features of its error, scaled, divided by its spread. A nearest-window scale's error is (newest row − the
 *   scale's neighbour's last row); the seasonal member's (export-series-seasonal.ts) is (newest row − the row P back);
 * - feature_error [N, F]: the same weighted sum of each member's squared difference / spread² per feature (0 where
 *   missing): the newest step, not a mean over T;
 * - reconstruction [N, T, F]: the largest scale's neighbour window in raw units (preceded, when T is longer, by the
 *   input's own earlier rows).
 * Per scale (the last t rows of the window): the neighbour is TopK 2 of −d² (the one MatMul [m, s] × [−R²ᵀ; 2Rᵀ],
 * as auto's kNN), the exact masked d² of both by difference, and the first of them at a distance > 0 (a
 * training window is not its own neighbour). No latent (manifest latent_dim null).
 */
export function exportSeriesWindows(det: SeriesDetector, manifest: Manifest): Uint8Array {
  const { g, x, mask, recName, scoreName, feName, off, sc } = seriesGraphHead(det);
  const { window: t, features: f } = det;
  const l = det.scales[det.scales.length - 1]!.window;
  // --- seasonal member: the scales read only the last l rows of the T-row window (export-series-seasonal.ts) ---
  const [xl, maskl] = t === l ? [x, mask] : lastRows(g, [x, mask], t, l);
  // --- end seasonal member ---
  const observed = g.op('Greater', [maskl, g.scalar(0.5)]);
  const m3 = g.op('Cast', [observed], { to: attr.int(OnnxDataType.FLOAT) });
  const s3 = g.op('Where', [observed, g.op('Div', [g.op('Sub', [xl, off]), sc]), g.scalar(0)]);
  const flat = g.ints([-1, l * f]);
  const sAll = g.op('Reshape', [s3, flat]);
  const mAll = g.op('Reshape', [m3, flat]);
  const terms = scaleTerms(g, det, sAll, mAll, l, f, (scale, sv, mv, d, si) => {
    const { chosen, e } = nearest(g, scale, sv, mv, d, f, si);
    return { pick: chosen, e };
  });
  let { scoreSum, cellSum } = terms;
  const chosenBig = terms.pickBig;
  const chosen3 = g.op('Reshape', [chosenBig, g.ints([-1, l, f])]);
  let rec = g.op('Add', [g.op('Mul', [chosen3, sc]), off]);
  // --- seasonal member (export-series-seasonal.ts): one more weighted term; T may exceed the largest scale l ---
  if (det.seasonal) {
    const sea = seasonalTerms(g, det.seasonal, { x, mask, offset: off, scale: sc }, t, f);
    scoreSum = g.op('Add', [scoreSum, sea.z]);
    cellSum = g.op('Add', [cellSum, sea.cell]);
  }
  if (t !== l) rec = paddedReconstruction(g, x, mask, off, rec, t, l);
  // --- end seasonal member ---
  g.op('Identity', [scoreSum], {}, scoreName);
  g.op('Identity', [cellSum], {}, feName);
  g.op('Identity', [rec], {}, recName);

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
