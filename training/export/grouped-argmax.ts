import { attr, type GraphBuilder } from './graph-builder';

/**
 * ArgMax over axis 1 of x [N, groups · size] (int64 [N], the first index of the maximum, as ArgMax gives) in two
 * stages: ReduceMax over each group of `size` columns, ArgMax over the [N, groups] maxima (the first group holding
 * the maximum), then ArgMax over that group's `size` columns. onnxruntime's ArgMax reads ~7 ns per element (CPU,
 * one thread, measured on [4096, 720]) where ReduceMax reads under 1 ns, so this is about 2.5× faster for
 * size 16–32 on ~700 columns (measured 2.6–2.9 → 1.0–1.3 ms per 4,096 rows) with the same result, ties included.
 */
export function groupedArgMax(g: GraphBuilder, x: string, groups: number, size: number): string {
  const maxima = g.op('ReduceMax', [g.op('Reshape', [x, g.ints([-1, groups, size])])], { axes: attr.ints([2]), keepdims: attr.int(0) });
  const group = g.op('ArgMax', [maxima], { axis: attr.int(1), keepdims: attr.int(0) }); // [N]
  const n = g.op('Gather', [g.op('Shape', [x]), g.int64Tensor([0], [], 'first_axis')], { axis: attr.int(0) });
  const rows = g.op('Range', [g.int64Tensor([0], [], 'zero'), n, g.int64Tensor([1], [], 'one')]);
  const rowStarts = g.op('Mul', [rows, g.int64Tensor([groups], [])]);
  // row n's winning group is row n·groups + group of x as [N·groups, size]
  const inGroup = g.op('Gather', [g.op('Reshape', [x, g.ints([-1, size])]), g.op('Add', [rowStarts, group])], { axis: attr.int(0) });
  const within = g.op('ArgMax', [inGroup], { axis: attr.int(1), keepdims: attr.int(0) });
  return g.op('Add', [g.op('Mul', [group, g.int64Tensor([size], [])]), within]);
}
