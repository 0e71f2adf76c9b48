import { attr, type GraphBuilder } from '../../export';
import type { SeasonalMember } from './seasonal-member';
import { memberDivisors } from './series-detector';

/**
 * The seasonal member's fragment of auto-series' graph (export-series.ts): from the scaled window s and its mask m,
 * both [N, T·F], the newest row's scaled difference from the row P back over the features observed in both;
 * returns its weighted score term z [N] (RMS / (spread / weight)) and feature-error term [N, F] (squared
 * difference / (spread² / weight)), as seasonalErrors and scoreSeriesWindows compute them.
 */
export function seasonalTerms(
  g: GraphBuilder, se: SeasonalMember, s: string, m: string, t: number, f: number,
): { z: string; cell: string } {
  const row = (tensor: string, r: number): string =>
    g.op('Slice', [tensor, g.ints([r * f]), g.ints([(r + 1) * f]), g.ints([1])]);
  const back = t - 1 - se.period;
  const both = g.op('Mul', [row(m, t - 1), row(m, back)]);
  const e = g.op('Sub', [row(s, t - 1), row(s, back)]);
  const cell = g.op('Mul', [g.op('Mul', [e, e]), both]);
  const one = g.ints([1]);
  const count = g.op('Max', [g.op('ReduceSum', [both, one], { keepdims: attr.int(0) }), g.scalar(1)]);
  const rms = g.op('Sqrt', [g.op('Div', [g.op('ReduceSum', [cell, one], { keepdims: attr.int(0) }), count])]);
  const div = memberDivisors(se.spread, se.weight);
  return { z: g.op('Div', [rms, g.scalar(div.score)]), cell: g.op('Div', [cell, g.scalar(div.cell)]) };
}

/**
 * The reconstruction [N, T·F] (scaled) when the graph window T is longer than the largest nearest-window scale L
 * (the seasonal member needs P + 1 rows): the input's own first T − L rows (missing cells 0, i.e. the scaler's
 * offset), then the largest scale's neighbour window. The rows before the last L are not modelled.
 */
export function paddedReconstruction(g: GraphBuilder, s: string, chosen: string, t: number, l: number, f: number): string {
  if (t === l) return chosen;
  const head = g.op('Slice', [s, g.ints([0]), g.ints([(t - l) * f]), g.ints([1])]);
  return g.op('Concat', [head, chosen], { axis: attr.int(1) });
}
