import { attr, type GraphBuilder } from '../../export';
import { OnnxDataType } from '../../export/onnx-proto';
import type { SeasonalMember } from './seasonal-member';
import { memberDivisors } from './series-detector';

/** The graph's raw window inputs x, mask [N, T, F] and the scaler's offset and scale tensors [F]. */
export interface RawWindow {
  x: string;
  mask: string;
  offset: string;
  scale: string;
}

/** One scaled row per window [N, F] and its mask (1 observed, 0 missing). */
export interface ScaledRow {
  s: string;
  m: string;
}

/**
 * The seasonal member's fragment of auto-series' windows graph (export-series-windows.ts): from the raw window, only
 * the newest row and the row P back are scaled (Where(mask > 0.5, (x − offset) / scale, 0), as for the scales), then
 * seasonalFromRows.
 */
export function seasonalTerms(g: GraphBuilder, se: SeasonalMember, w: RawWindow, t: number, f: number): { z: string; cell: string } {
  const row = (r: number): ScaledRow => {
    const pick = (tensor: string): string =>
      g.op('Reshape', [g.op('Slice', [tensor, g.ints([r]), g.ints([r + 1]), g.ints([1])]), g.ints([-1, f])]);
    const observed = g.op('Greater', [pick(w.mask), g.scalar(0.5)]);
    const s = g.op('Where', [observed, g.op('Div', [g.op('Sub', [pick(w.x), w.offset]), w.scale]), g.scalar(0)]);
    return { s, m: g.op('Cast', [observed], { to: attr.int(OnnxDataType.FLOAT) }) };
  };
  return seasonalFromRows(g, se, row(t - 1), row(t - 1 - se.period));
}

/**
 * The seasonal member's fragment of auto-series' segment graph (export-series.ts): the segment's scaled rows and
 * masks [L, F] (export-series-segment.ts) give window i's newest row, row i + T − 1, as rows T − 1 … L − 1 and its
 * row P back as rows T − 1 − P … L − 1 − P (a Slice each, no gather), then seasonalFromRows: the same cells as
 * seasonalTerms on the windows.
 */
export function segmentSeasonalTerms(g: GraphBuilder, se: SeasonalMember, rows: ScaledRow, t: number): { z: string; cell: string } {
  const p = se.period;
  // ends: to the last row (INT64 max, clamped), and P rows before it (−P counts from the end)
  const slice = (tensor: string, from: number, to: number): string =>
    g.op('Slice', [tensor, g.ints([from]), g.ints([to]), g.ints([0])]);
  const last = { s: slice(rows.s, t - 1, Number.MAX_SAFE_INTEGER), m: slice(rows.m, t - 1, Number.MAX_SAFE_INTEGER) };
  const back = { s: slice(rows.s, t - 1 - p, -p), m: slice(rows.m, t - 1 - p, -p) };
  return seasonalFromRows(g, se, last, back);
}

/**
 * The seasonal member's terms from the newest row and the row P back of each window (scaled, [N, F]): their
 * difference over the features observed in both gives the weighted score term z [N] (RMS / (spread / weight)) and
 * the feature-error term [N, F] (squared difference / (spread² / weight)), as seasonalErrors and scoreSeriesWindows
 * compute them.
 */
function seasonalFromRows(g: GraphBuilder, se: SeasonalMember, last: ScaledRow, back: ScaledRow): { z: string; cell: string } {
  const both = g.op('Mul', [last.m, back.m]);
  const e = g.op('Sub', [last.s, back.s]);
  const cell = g.op('Mul', [g.op('Mul', [e, e]), both]);
  const one = g.ints([1]);
  const count = g.op('Max', [g.op('ReduceSum', [both, one], { keepdims: attr.int(0) }), g.scalar(1)]);
  const rms = g.op('Sqrt', [g.op('Div', [g.op('ReduceSum', [cell, one], { keepdims: attr.int(0) }), count])]);
  const div = memberDivisors(se.spread, se.weight);
  return { z: g.op('Div', [rms, g.scalar(div.score)]), cell: g.op('Div', [cell, g.scalar(div.cell)]) };
}

/** The last l of the T rows of each [N, T, F] tensor (the nearest-window scales read no more). */
export function lastRows(g: GraphBuilder, tensors: string[], t: number, l: number): string[] {
  return tensors.map((x) => g.op('Slice', [x, g.ints([t - l]), g.ints([t]), g.ints([1])]));
}

/**
 * The reconstruction [N, T, F] (raw units) when the graph window T is longer than the largest nearest-window scale l
 * (the seasonal member needs P + 1 rows): the input's own first T − l rows (missing cells at the scaler's offset),
 * then the neighbour window rec [N, l, F]. The rows before the last l are not modelled.
 */
export function paddedReconstruction(g: GraphBuilder, x: string, mask: string, offset: string, rec: string, t: number, l: number): string {
  const [hx, hm] = [x, mask].map((v) => g.op('Slice', [v, g.ints([0]), g.ints([t - l]), g.ints([1])]));
  // Where broadcasts the offset [F]: a missing cell gets it whatever x holds there (the scorer passes NaN)
  const head = g.op('Where', [g.op('Greater', [hm!, g.scalar(0.5)]), hx!, offset]);
  return g.op('Concat', [head, rec], { axis: attr.int(1) });
}
