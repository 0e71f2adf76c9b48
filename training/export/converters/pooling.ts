import { attr } from '../graph-builder';
import type { ConversionContext, LayerCall, RegisterConverter } from '../converter-registry';
import { singleInput } from './core';
import { paddingAttributes, spatialList, toChannelsFirst, toChannelsLast } from './convolution';

function pool(ctx: ConversionContext, call: LayerCall, rank: number, opType: 'MaxPool' | 'AveragePool'): string {
  const format = call.config['dataFormat'] ?? 'channelsLast';
  if (format !== 'channelsLast') call.unsupported('dataFormat', `only 'channelsLast' is supported, got '${String(format)}'`);
  const kernel = spatialList(call, 'poolSize', rank);
  const strides = spatialList(call, 'strides', rank, kernel);
  const ones = new Array<number>(rank).fill(1);
  const y = ctx.graph.op(opType, [toChannelsFirst(ctx, singleInput(call), rank)], {
    kernel_shape: attr.ints(kernel),
    strides: attr.ints(strides),
    ...paddingAttributes(call, kernel, strides, ones),
    ...(opType === 'AveragePool' ? { count_include_pad: attr.int(0) } : {}),
  });
  return toChannelsLast(ctx, y, rank);
}

function globalPool(ctx: ConversionContext, call: LayerCall, rank: number, opType: 'ReduceMax' | 'ReduceMean'): string {
  const format = call.config['dataFormat'] ?? 'channelsLast';
  if (format !== 'channelsLast') call.unsupported('dataFormat', `only 'channelsLast' is supported, got '${String(format)}'`);
  const axes = Array.from({ length: rank }, (_, i) => i + 1);
  return ctx.graph.op(opType, [singleInput(call)], { axes: attr.ints(axes), keepdims: attr.int(0) });
}

/** Registers Max/AveragePooling1D/2D (valid/same) and their Global forms. */
export function registerPoolingConverters(register: RegisterConverter): void {
  register('MaxPooling1D', (ctx, call) => pool(ctx, call, 1, 'MaxPool'));
  register('AveragePooling1D', (ctx, call) => pool(ctx, call, 1, 'AveragePool'));
  register('MaxPooling2D', (ctx, call) => pool(ctx, call, 2, 'MaxPool'));
  register('AveragePooling2D', (ctx, call) => pool(ctx, call, 2, 'AveragePool'));
  register('GlobalMaxPooling1D', (ctx, call) => globalPool(ctx, call, 1, 'ReduceMax'));
  register('GlobalAveragePooling1D', (ctx, call) => globalPool(ctx, call, 1, 'ReduceMean'));
  register('GlobalMaxPooling2D', (ctx, call) => globalPool(ctx, call, 2, 'ReduceMax'));
  register('GlobalAveragePooling2D', (ctx, call) => globalPool(ctx, call, 2, 'ReduceMean'));
}
