import { attr } from '../graph-builder';
import type { ConversionContext, LayerCall, RegisterConverter } from '../converter-registry';
import { singleInput } from './core';
import { numberConfig } from './weights';

function intList(call: LayerCall, key: string): number[] {
  const v = call.config[key];
  if (!Array.isArray(v) || v.some((d) => typeof d !== 'number' || !Number.isInteger(d))) {
    call.unsupported(key, `expected a list of integers, got ${JSON.stringify(v)}`);
  }
  return v as number[];
}

/** A non-batch input dimension that must be known to build the graph. */
export function knownDim(call: LayerCall, axis: number, what: string): number {
  const shape = call.inputShapes[0]!;
  const d = shape[axis < 0 ? shape.length + axis : axis];
  if (typeof d !== 'number') call.unsupported('inputShape', `${what} (axis ${axis}) must be known, input shape is [${shape.join(',')}]`);
  return d as number;
}

function flatten(ctx: ConversionContext, call: LayerCall): string {
  const x = singleInput(call);
  if (call.config['dataFormat'] === 'channelsFirst' && call.inputShapes[0]!.length > 2) {
    call.unsupported('dataFormat', "'channelsFirst' flattening is not supported");
  }
  return ctx.graph.op('Flatten', [x], { axis: attr.int(1) });
}

function repeatVector(ctx: ConversionContext, call: LayerCall): string {
  const g = ctx.graph;
  const n = numberConfig(call, 'n');
  const expanded = g.op('Unsqueeze', [singleInput(call), g.ints([1])]);
  return g.op('Tile', [expanded, g.ints([1, n, 1])]);
}

/** Nearest-neighbour repeat of each time step: [N,T,C] -> [N,T*size,C]. */
function upSampling1D(ctx: ConversionContext, call: LayerCall): string {
  const g = ctx.graph;
  const raw = call.config['size'];
  const size = Array.isArray(raw) ? (raw[0] as number) : numberConfig(call, 'size', 2);
  if (call.inputShapes[0]!.length !== 3)
    call.unsupported('inputShape', `UpSampling1D needs a rank-3 input, got [${call.inputShapes[0]!.join(',')}]`);
  const c = knownDim(call, 2, 'the channel dimension');
  const tiled = g.op('Tile', [g.op('Unsqueeze', [singleInput(call), g.ints([2])]), g.ints([1, 1, size, 1])]);
  return g.op('Reshape', [tiled, g.ints([0, -1, c])]);
}

/** Nearest-neighbour UpSampling2D, channelsLast: [N,H,W,C] -> [N,H*sh,W*sw,C]. */
function upSampling2D(ctx: ConversionContext, call: LayerCall): string {
  const g = ctx.graph;
  if ((call.config['interpolation'] ?? 'nearest') !== 'nearest')
    call.unsupported('interpolation', `only 'nearest' is supported, got '${String(call.config['interpolation'])}'`);
  if ((call.config['dataFormat'] ?? 'channelsLast') !== 'channelsLast') call.unsupported('dataFormat', "only 'channelsLast' is supported");
  const [sh, sw] = intList(call, 'size') as [number, number];
  const h = knownDim(call, 1, 'height');
  const w = knownDim(call, 2, 'width');
  const c = knownDim(call, 3, 'channels');
  const x6 = g.op('Reshape', [singleInput(call), g.ints([0, h, 1, w, 1, c])]);
  const tiled = g.op('Tile', [x6, g.ints([1, 1, sh, 1, sw, 1])]);
  return g.op('Reshape', [tiled, g.ints([0, h * sh, w * sw, c])]);
}

/** Registers Flatten, Reshape, Permute, RepeatVector, UpSampling2D and the custom-class UpSampling1D ({ size }). */
export function registerShapeConverters(register: RegisterConverter): void {
  register('Flatten', flatten);
  register('Reshape', (ctx, call) =>
    ctx.graph.op('Reshape', [singleInput(call), ctx.graph.ints([0, ...intList(call, 'targetShape')])]));
  register('Permute', (ctx, call) =>
    ctx.graph.op('Transpose', [singleInput(call)], { perm: attr.ints([0, ...intList(call, 'dims')]) }));
  register('RepeatVector', repeatVector);
  register('UpSampling1D', upSampling1D);
  register('UpSampling2D', upSampling2D);
}
