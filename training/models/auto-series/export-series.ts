import type { Manifest } from '../../../core/manifest';
import { attr } from '../../export';
import { encodeManifestGraph } from '../../export/encode-manifest-graph';
import { segmentSeasonalTerms } from './export-series-seasonal';
import { segmentWindows, windowRows } from './export-series-segment';
import { seriesNeighbour } from './export-series-nearest';
import { scaleTerms } from './scale-terms';
import { seriesGraphHead } from './series-graph-head';
import type { SeriesDetector } from './series-detector';

/**
 * auto-series' ONNX graph (opset 17, plain ops; manifest `window_input: 'segment'`): inputs x, mask [1, L, F], L
 * consecutive rows, scored as the N = L − T + 1 windows of T rows ending at rows T−1 … L−1 (T = the largest scale,
 * or P + 1 with a seasonal member of period P when that is longer; export-series-segment.ts builds the windows in
 * the graph). The graph of older manifests, inputs [N, T, F] windows, is export-series-windows.ts. Outputs
 * - score [N]: the weighted sum over members (weights sum to 1) of each one's RMS over the newest row's observed
 *   features of its error, scaled, divided by its spread. A nearest-window scale's error is (newest row − the
 *   scale's neighbour's last row); the seasonal member's (export-series-seasonal.ts) is (newest row − the row P back);
 * - feature_error [N, F]: the same weighted sum of each member's squared difference / spread² per feature (0 where
 *   missing): the newest step, not a mean over T;
 * - reconstruction [N, T, F]: the largest scale's neighbour window in raw units (preceded, when T is longer, by the
 *   window's own earlier rows, missing cells at the scaler's offset).
 * Per scale (the last t rows of the window): the nearest reference window, or its leave-one-out neighbour where
 * the window is at distance 0 from it (export-series-nearest.ts). No latent (manifest latent_dim null).
 */
export function exportSeries(det: SeriesDetector, manifest: Manifest): Uint8Array {
  const { g, x, mask, recName, scoreName, feName, off, sc } = seriesGraphHead(det);
  const { window: t, features: f } = det;
  const k = det.scales.length;
  // the scales read only the last l rows of the T-row window (l = T without a seasonal member)
  const l = det.scales[k - 1]!.window;
  const { s: sAll, m: mAll, rows, starts } = segmentWindows(g, x, mask, off, sc, t, l, f);
  const terms = scaleTerms(g, det, sAll, mAll, l, f, (scale, sv, mv, d, si) => {
    const { index, e } = seriesNeighbour(g, scale, sv, mv, d, f, si);
    return { pick: index, e };
  });
  let { scoreSum, cellSum } = terms;
  const chosenBig = terms.pickBig;
  // the seasonal member (export-series-seasonal.ts): one more weighted term, from the segment's scaled rows
  if (det.seasonal) {
    const sea = segmentSeasonalTerms(g, det.seasonal, rows, t);
    scoreSum = g.op('Add', [scoreSum, sea.z]);
    cellSum = g.op('Add', [cellSum, sea.cell]);
  }
  g.op('Identity', [scoreSum], {}, scoreName);
  g.op('Identity', [cellSum], {}, feName);
  // the neighbour window in raw units: fround(fround(r · scale) + offset), as Mul and Add on it would give
  const big = det.scales[k - 1]!;
  const [so, ss] = [det.scaler.offset, det.scaler.scale];
  const raw = big.reference.map((v, c) => Math.fround(Math.fround(v * Math.fround(ss[c % f]!)) + Math.fround(so[c % f]!)));
  let rec = g.op('Gather', [g.floatTensor(raw, [big.rows, l * f], 'reference_raw'), chosenBig], { axis: attr.int(0) });
  if (t !== l) {
    // the window's first T − l rows as they came, missing cells at the offset [F] (Where broadcasts it: a missing
    // cell gets it whatever x holds there, NaN included)
    const x2 = g.op('Reshape', [x, g.ints([-1, f])]);
    const observed = g.op('Greater', [g.op('Reshape', [mask, g.ints([-1, f])]), g.scalar(0.5)]);
    const kept = g.op('Where', [observed, x2, off]);
    rec = g.op('Concat', [windowRows(g, kept, starts, 0, t - l, f), rec], { axis: attr.int(1) });
  }
  g.op('Reshape', [rec, g.ints([-1, t, f])], {}, recName);

  return encodeManifestGraph(g, manifest, {
    name: 'auto_series',
    docString: 'residual auto (time series): nearest training window, error of the newest step',
    inputs: [{ name: x, dims: [1, 'L', f] }, { name: mask, dims: [1, 'L', f] }],
    outputs: [{ name: recName!, dims: ['N', t, f] }, { name: scoreName!, dims: ['N'] }, { name: feName!, dims: ['N', f] }],
  });
}
