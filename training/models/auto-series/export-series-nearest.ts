import { attr, type GraphBuilder } from '../../export';
import { groupedArgMax } from '../../export/grouped-argmax';
import { knnReferenceTerms } from '../../export/knn-reference-terms';
import { neighbourTable } from './neighbour-table';
import type { SeriesScale } from './series-detector';

/** Columns per group of the two-stage ArgMax (grouped-argmax.ts; 16–32 measured fastest, 16 pads least). */
const ARGMAX_GROUP = 16;

/** One scale's neighbour: its index into the scale's reference windows [N] (int64) and the newest step's error [N, F]. */
export interface SeriesNeighbour {
  index: string;
  e: string;
}

/**
 * One scale's neighbour window for scaled windows s and masks m [N, D] (D = t·F): the nearest reference window is
 * the ArgMax of −d² (the one MatMul [m, s] × [−R²ᵀ; 2Rᵀ], as auto's kNN; a two-stage ArgMax, grouped-argmax.ts),
 * its exact masked d² by difference, and where that is 0 (the window is a training window, or an exact copy of one)
 * the stored leave-one-out `neighbour` of it (neighbour-table.ts) instead, so a training window is not its own
 * neighbour. This replaces TopK 2 + the exact d² of both (TopK was 28 % of the graph): the same neighbour wherever
 * the window is fully observed; a window with missing cells that equals a training window on its observed cells gets
 * that window's full-window neighbour, not the second nearest over its observed cells.
 */
export function seriesNeighbour(
  g: GraphBuilder, scale: SeriesScale, s: string, m: string, d: number, f: number, si: number,
): SeriesNeighbour {
  const { reference, rows } = scale;
  // the reference padded to a multiple of ARGMAX_GROUP windows with copies of its last window: the copies tie with it
  // and come after it, so the first maximum is a real window (and a copy, were it picked, maps back to it)
  const padded = Math.ceil(rows / ARGMAX_GROUP) * ARGMAX_GROUP;
  const withCopies = new Float32Array(padded * d);
  withCopies.set(reference);
  for (let r = rows; r < padded; r++) withCopies.copyWithin(r * d, (rows - 1) * d, rows * d);
  const terms = g.floatTensor(knnReferenceTerms(withCopies, padded, d), [2 * d, padded], `reference_terms_${si}`);
  const closeness = g.op('MatMul', [g.op('Concat', [m, s], { axis: attr.int(1) }), terms]);
  const first = groupedArgMax(g, closeness, padded / ARGMAX_GROUP, ARGMAX_GROUP); // [N]
  const real = Array.from({ length: padded }, (_, r) => Math.min(r, rows - 1));
  const unpad = (): string => g.op('Gather', [g.int64Tensor(real, [padded], `unpad_${si}`), first], { axis: attr.int(0) });
  const nearest = padded === rows ? first : unpad();
  const cand = g.op('Gather', [g.floatTensor(reference, [rows, d], `reference_${si}`), nearest], { axis: attr.int(0) }); // [N, D]
  const diff = g.op('Sub', [s, cand]);
  const d2 = g.op('ReduceSum', [g.op('Mul', [g.op('Mul', [diff, diff]), m]), g.ints([1])], { keepdims: attr.int(0) });
  const table = g.int64Tensor(neighbourTable(reference, rows, d), [rows], `neighbour_${si}`);
  const index = g.op('Where', [g.op('Greater', [d2, g.scalar(0)]), nearest, g.op('Gather', [table, nearest], { axis: attr.int(0) })]);
  // the newest row of the chosen window: a Gather from the reference windows' last rows [rows, F]
  const lastRows = new Float32Array(rows * f);
  for (let r = 0; r < rows; r++) lastRows.set(reference.subarray(r * d + d - f, (r + 1) * d), r * f);
  const chosenLast = g.op('Gather', [g.floatTensor(lastRows, [rows, f], `reference_last_${si}`), index], { axis: attr.int(0) });
  const last = g.op('Slice', [s, g.ints([d - f]), g.ints([d]), g.ints([1])]);
  return { index, e: g.op('Sub', [last, chosenLast]) };
}
