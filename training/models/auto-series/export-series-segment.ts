import { attr, type GraphBuilder } from '../../export';
import { OnnxDataType } from '../../export/onnx-proto';

/** The scaled windows and masks a segment graph builds from its inputs: [N, T·F] each, N = L − T + 1. */
export interface SegmentWindows {
  s: string;
  m: string;
}

/**
 * The front of auto-series' segment graph (manifest `window_input: 'segment'`): inputs x, mask [1, L, F] are L
 * consecutive rows, and the graph scores the N = L − T + 1 windows of T rows ending at rows T−1 … L−1. The rows
 * are scaled once ([L, F]: fround((x − offset) / scale), 0 where missing, as the windows graph does per window
 * cell) and the windows are gathered inside the graph ([N, T] row indices i + k), so the caller passes each row
 * once instead of T times and the elementwise scaling runs on L·F cells instead of N·T·F.
 */
export function segmentWindows(g: GraphBuilder, x: string, mask: string, off: string, sc: string, t: number, f: number): SegmentWindows {
  const rowsShape = g.ints([-1, f]);
  const x2 = g.op('Reshape', [x, rowsShape]);
  const mask2 = g.op('Reshape', [mask, rowsShape]);
  const observed = g.op('Greater', [mask2, g.scalar(0.5)]);
  const m2 = g.op('Cast', [observed], { to: attr.int(OnnxDataType.FLOAT) });
  const s2 = g.op('Where', [observed, g.op('Div', [g.op('Sub', [x2, off]), sc]), g.scalar(0)]);
  // window i is rows i … i + T − 1: indices Range(N)[:, None] + Range(T)[None, :]
  const l = g.op('Gather', [g.op('Shape', [x2]), g.int64Tensor([0], [], 'rows_axis')], { axis: attr.int(0) });
  const n = g.op('Sub', [l, g.int64Tensor([t - 1], [], 'window_less_one')]);
  const zero = g.int64Tensor([0], [], 'range_start');
  const step = g.int64Tensor([1], [], 'range_step');
  const starts = g.op('Unsqueeze', [g.op('Range', [zero, n, step]), g.ints([1])]);
  const offsets = g.int64Tensor(Array.from({ length: t }, (_, k) => k), [1, t], 'window_offsets');
  const idx = g.op('Add', [starts, offsets]);
  const flat = g.ints([-1, t * f]);
  const gather = (rows: string): string => g.op('Reshape', [g.op('Gather', [rows, idx], { axis: attr.int(0) }), flat]);
  return { s: gather(s2), m: gather(m2) };
}
