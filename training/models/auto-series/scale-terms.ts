import { attr, type GraphBuilder } from '../../export';
import { memberDivisors, type SeriesDetector, type SeriesScale } from './series-detector';

/** A scale's neighbour in the graph: `pick` is what the reconstruction reads (a window or an index), `e` its error. */
export type ScaleNeighbour = (scale: SeriesScale, s: string, m: string, d: number, si: number) => { pick: string; e: string };

/**
 * The scales' weighted terms of the auto-series graph, shared by the segment graph (export-series.ts) and the windows
 * graph of older manifests (export-series-windows.ts): per scale the last `scale.window` rows of the scaled window
 * rows sAll / mAll ([N, l·F]), its neighbour, the newest row's squared errors over its observed cells, their RMS;
 * each term divided by memberDivisors(spread, weight) and summed. `pick` of the largest scale is returned for the
 * reconstruction.
 */
export function scaleTerms(
  g: GraphBuilder, det: SeriesDetector, sAll: string, mAll: string, l: number, f: number, neighbour: ScaleNeighbour,
): { scoreSum: string; cellSum: string; pickBig: string } {
  const one = g.ints([1]);
  let scoreSum = '';
  let cellSum = '';
  let pickBig = '';
  const tail = (tensor: string, from: number, to: number): string =>
    g.op('Slice', [tensor, g.ints([from]), g.ints([to]), g.ints([1])]);
  // the newest row's mask and observed count, the same at every scale
  const lastM = tail(mAll, (l - 1) * f, l * f);
  const count = g.op('Max', [g.op('ReduceSum', [lastM, one], { keepdims: attr.int(0) }), g.scalar(1)]);
  det.scales.forEach((scale, si) => {
    const d = scale.window * f;
    const s = scale.window === l ? sAll : tail(sAll, (l - scale.window) * f, l * f);
    const m = scale.window === l ? mAll : tail(mAll, (l - scale.window) * f, l * f);
    const { pick, e } = neighbour(scale, s, m, d, si);
    const cell = g.op('Mul', [g.op('Mul', [e, e]), lastM]);
    const rms = g.op('Sqrt', [g.op('Div', [g.op('ReduceSum', [cell, one], { keepdims: attr.int(0) }), count])]);
    const div = memberDivisors(scale.spread, scale.weight);
    const z = g.op('Div', [rms, g.scalar(div.score)]);
    const zc = g.op('Div', [cell, g.scalar(div.cell)]);
    scoreSum = scoreSum ? g.op('Add', [scoreSum, z]) : z;
    cellSum = cellSum ? g.op('Add', [cellSum, zc]) : zc;
    if (si === det.scales.length - 1) pickBig = pick;
  });
  return { scoreSum, cellSum, pickBig };
}
