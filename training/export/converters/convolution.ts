import { attr, type Attributes } from '../graph-builder';
import type { ConversionContext, LayerCall, RegisterConverter } from '../converter-registry';
import { applyConfiguredActivation, singleInput } from './core';
import { requireWeight, transposeArray } from './weights';

/** A per-spatial-dimension config value (tfjs writes a number or a list). */
export function spatialList(call: LayerCall, key: string, rank: number, fallback?: number[]): number[] {
  const v = call.config[key] ?? fallback;
  const list = typeof v === 'number' ? new Array<number>(rank).fill(v) : v;
  if (!Array.isArray(list) || list.length !== rank || list.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 1)) {
    call.unsupported(key, `expected ${rank} positive integer(s), got ${JSON.stringify(v)}`);
  }
  return list as number[];
}

/**
 * ONNX padding attributes for TF padding 'valid' | 'same' (extra padding at the end, like SAME_UPPER).
 * Uses explicit pads when the spatial sizes are known, auto_pad otherwise.
 */
export function paddingAttributes(call: LayerCall, kernel: number[], strides: number[], dilations: number[]): Attributes {
  const padding = call.config['padding'] ?? 'valid';
  if (padding === 'valid') return { pads: attr.ints(new Array<number>(kernel.length * 2).fill(0)) };
  if (padding !== 'same') call.unsupported('padding', `'${String(padding)}' is not supported (only 'valid' and 'same')`);
  const spatial = call.inputShapes[0]!.slice(1, 1 + kernel.length);
  if (spatial.some((d) => d === null)) return { auto_pad: attr.string('SAME_UPPER') };
  const begin: number[] = [];
  const end: number[] = [];
  spatial.forEach((size, i) => {
    const out = Math.ceil((size as number) / strides[i]!);
    const total = Math.max((out - 1) * strides[i]! + (kernel[i]! - 1) * dilations[i]! + 1 - (size as number), 0);
    begin.push(Math.floor(total / 2));
    end.push(total - Math.floor(total / 2));
  });
  return { pads: attr.ints([...begin, ...end]) };
}

/** channels-last [N, ...spatial, C] to channels-first [N, C, ...spatial], and back. */
export function toChannelsFirst(ctx: ConversionContext, x: string, spatialRank: number): string {
  return ctx.graph.op('Transpose', [x], { perm: attr.ints([0, spatialRank + 1, ...Array.from({ length: spatialRank }, (_, i) => i + 1)]) });
}
export function toChannelsLast(ctx: ConversionContext, x: string, spatialRank: number): string {
  return ctx.graph.op('Transpose', [x], { perm: attr.ints([0, ...Array.from({ length: spatialRank }, (_, i) => i + 2), 1]) });
}

function checkChannelsLast(call: LayerCall): void {
  const format = call.config['dataFormat'] ?? 'channelsLast';
  if (format !== 'channelsLast') call.unsupported('dataFormat', `only 'channelsLast' is supported, got '${String(format)}'`);
}

function biasInput(ctx: ConversionContext, call: LayerCall): string[] {
  return call.config['useBias'] !== false ? [ctx.initializer(call.layer, 'bias', () => requireWeight(ctx, call, 'bias'))] : [];
}

function conv(ctx: ConversionContext, call: LayerCall, rank: number): string {
  checkChannelsLast(call);
  const kernel = spatialList(call, 'kernelSize', rank);
  const strides = spatialList(call, 'strides', rank, new Array<number>(rank).fill(1));
  const dilations = spatialList(call, 'dilationRate', rank, new Array<number>(rank).fill(1));
  // tfjs kernel [k..., in, out] -> ONNX [out, in, k...]
  const w = ctx.initializer(call.layer, 'kernel_oik', () => {
    const k = requireWeight(ctx, call, 'kernel');
    return transposeArray(k.values, k.shape, [rank + 1, rank, ...Array.from({ length: rank }, (_, i) => i)]);
  });
  const y = ctx.graph.op('Conv', [toChannelsFirst(ctx, singleInput(call), rank), w, ...biasInput(ctx, call)], {
    kernel_shape: attr.ints(kernel),
    strides: attr.ints(strides),
    dilations: attr.ints(dilations),
    ...paddingAttributes(call, kernel, strides, dilations),
  });
  return applyConfiguredActivation(ctx, call, toChannelsLast(ctx, y, rank));
}

/** Conv2DTranspose (channelsLast, no dilation) with tfjs' output size: H*s ('same') or H*s + max(k - s, 0) ('valid'). */
function conv2dTranspose(ctx: ConversionContext, call: LayerCall): string {
  checkChannelsLast(call);
  const kernel = spatialList(call, 'kernelSize', 2);
  const strides = spatialList(call, 'strides', 2, [1, 1]);
  const dilations = spatialList(call, 'dilationRate', 2, [1, 1]);
  if (dilations.some((d) => d !== 1)) call.unsupported('dilationRate', `dilation ${JSON.stringify(dilations)} is not supported`);
  const padding = call.config['padding'] ?? 'valid';
  if (padding !== 'valid' && padding !== 'same') call.unsupported('padding', `'${String(padding)}' is not supported`);
  const begin: number[] = [];
  const end: number[] = [];
  const outputPadding: number[] = [];
  kernel.forEach((k, i) => {
    const s = strides[i]!;
    const crop = padding === 'same' ? Math.max(k - s, 0) : 0;
    begin.push(Math.floor(crop / 2));
    end.push(crop - Math.floor(crop / 2));
    outputPadding.push(Math.max(s - k, 0));
  });
  // tfjs kernel [kh, kw, out, in] -> ONNX [in, out, kh, kw]
  const w = ctx.initializer(call.layer, 'kernel_iohw', () => {
    const k = requireWeight(ctx, call, 'kernel');
    return transposeArray(k.values, k.shape, [3, 2, 0, 1]);
  });
  const y = ctx.graph.op('ConvTranspose', [toChannelsFirst(ctx, singleInput(call), 2), w, ...biasInput(ctx, call)], {
    kernel_shape: attr.ints(kernel),
    strides: attr.ints(strides),
    pads: attr.ints([...begin, ...end]),
    output_padding: attr.ints(outputPadding),
  });
  return applyConfiguredActivation(ctx, call, toChannelsLast(ctx, y, 2));
}

/** Registers Conv1D, Conv2D and Conv2DTranspose. */
export function registerConvolutionConverters(register: RegisterConverter): void {
  register('Conv1D', (ctx, call) => conv(ctx, call, 1));
  register('Conv2D', (ctx, call) => conv(ctx, call, 2));
  register('Conv2DTranspose', conv2dTranspose);
}
