import { attr, type GraphBuilder } from '../../export';
import { OnnxDataType } from '../../export/onnx-proto';

/**
 * The rows and windows a segment graph builds from its inputs x, mask [1, L, F]: the N = L − T + 1 windows of T rows
 * ending at rows T−1 … L−1.
 */
export interface SegmentWindows {
  /** the scaled rows and their masks [L, F] (fround((x − offset) / scale), 0 where missing) */
  rows: { s: string; m: string };
  /** the last l rows of each window, scaled, and their masks: [N, l·F] each */
  s: string;
  m: string;
  /** [N, 1]: window i's first row, i */
  starts: string;
}

/**
 * The front of auto-series' segment graph (manifest `window_input: 'segment'`): inputs x, mask [1, L, F] are L
 * consecutive rows, and the graph scores the N = L − T + 1 windows of T rows ending at rows T−1 … L−1. The rows
 * are scaled once ([L, F]: fround((x − offset) / scale), 0 where missing, as the windows graph does per window
 * cell) and the windows gathered inside the graph ([N, l] row indices i + T − l + k: only the last l rows, all the
 * nearest-window scales read, where the seasonal member makes T longer), so the caller passes each row once instead
 * of T times and the elementwise scaling runs on L·F cells instead of N·T·F.
 */
export function segmentWindows(
  g: GraphBuilder, x: string, mask: string, off: string, sc: string, t: number, l: number, f: number,
): SegmentWindows {
  const rowsShape = g.ints([-1, f]);
  const x2 = g.op('Reshape', [x, rowsShape]);
  const mask2 = g.op('Reshape', [mask, rowsShape]);
  const observed = g.op('Greater', [mask2, g.scalar(0.5)]);
  const m2 = g.op('Cast', [observed], { to: attr.int(OnnxDataType.FLOAT) });
  const s2 = g.op('Where', [observed, g.op('Div', [g.op('Sub', [x2, off]), sc]), g.scalar(0)]);
  // window i is rows i … i + T − 1: indices Range(N)[:, None] + Range(T)[None, :]
  const n = g.op('Sub', [rowCount(g, x2), g.int64Tensor([t - 1], [], 'window_less_one')]);
  const zero = g.int64Tensor([0], [], 'range_start');
  const step = g.int64Tensor([1], [], 'range_step');
  const starts = g.op('Unsqueeze', [g.op('Range', [zero, n, step]), g.ints([1])]);
  const gather = (rows: string): string => windowRows(g, rows, starts, t - l, l, f);
  return { rows: { s: s2, m: m2 }, s: gather(s2), m: gather(m2), starts };
}

/** Rows from … from + count − 1 of each window (starts [N, 1]) of the rows [L, F], flat: [N, count·F]. */
export function windowRows(g: GraphBuilder, rows: string, starts: string, from: number, count: number, f: number): string {
  const offsets = g.int64Tensor(Array.from({ length: count }, (_, k) => from + k), [1, count], 'window_offsets');
  const idx = g.op('Add', [starts, offsets]);
  return g.op('Reshape', [g.op('Gather', [rows, idx], { axis: attr.int(0) }), g.ints([-1, count * f])]);
}

/** L, the number of rows of x2 [L, F], as an int64 scalar. */
function rowCount(g: GraphBuilder, x2: string): string {
  return g.op('Gather', [g.op('Shape', [x2]), g.int64Tensor([0], [], 'rows_axis')], { axis: attr.int(0) });
}
