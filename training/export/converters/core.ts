import { attr } from '../graph-builder';
import type { ConversionContext, LayerCall, RegisterConverter } from '../converter-registry';
import { numberConfig, weightInitializer } from './weights';

/** The layer's only input; the named error if it has several. */
export function singleInput(call: LayerCall): string {
  if (call.inputs.length !== 1) call.unsupported('inputs', `expected 1 input, got ${call.inputs.length}`);
  return call.inputs[0]!;
}

/** The layer's `activation` config applied to x ('linear' when absent). */
export function applyConfiguredActivation(ctx: ConversionContext, call: LayerCall, x: string): string {
  const a = call.config['activation'];
  if (a === undefined || a === null) return x;
  if (typeof a !== 'string') call.unsupported('activation', `expected an activation name, got ${JSON.stringify(a)}`);
  return ctx.activation(call, a as string, x);
}

const identity = (_ctx: ConversionContext, call: LayerCall): string => singleInput(call);

function dense(ctx: ConversionContext, call: LayerCall): string {
  const x = singleInput(call);
  const g = ctx.graph;
  let y = g.op('MatMul', [x, weightInitializer(ctx, call, 'kernel')]);
  if (call.config['useBias'] !== false) y = g.op('Add', [y, weightInitializer(ctx, call, 'bias')]);
  return applyConfiguredActivation(ctx, call, y);
}

function relu(ctx: ConversionContext, call: LayerCall): string {
  const x = singleInput(call);
  const maxValue = call.config['maxValue'];
  if (maxValue === undefined || maxValue === null) return ctx.graph.op('Relu', [x]);
  return ctx.graph.op('Clip', [x, ctx.graph.scalar(0), ctx.graph.scalar(numberConfig(call, 'maxValue'))]);
}

function softmaxLayer(ctx: ConversionContext, call: LayerCall): string {
  const x = singleInput(call);
  const rawAxis = call.config['axis'] ?? 1;
  const axis = Array.isArray(rawAxis) && rawAxis.length === 1 ? rawAxis[0] : rawAxis;
  if (typeof axis !== 'number') call.unsupported('axis', `only a single softmax axis is supported, got ${JSON.stringify(rawAxis)}`);
  return ctx.graph.op('Softmax', [x], { axis: attr.int(axis as number) });
}

/** Registers InputLayer, Dense, Activation, the advanced activation layers and the inference-time identities. */
export function registerCoreConverters(register: RegisterConverter): void {
  register('InputLayer', identity);
  for (const name of ['Dropout', 'SpatialDropout1D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']) {
    register(name, identity);
  }
  register('Dense', dense);
  register('Activation', (ctx, call) => applyConfiguredActivation(ctx, call, singleInput(call)));
  register('ReLU', relu);
  register('LeakyReLU', (ctx, call) =>
    ctx.graph.op('LeakyRelu', [singleInput(call)], { alpha: attr.float(numberConfig(call, 'alpha', 0.3)) }));
  register('ELU', (ctx, call) =>
    ctx.graph.op('Elu', [singleInput(call)], { alpha: attr.float(numberConfig(call, 'alpha', 1)) }));
  register('ThresholdedReLU', (ctx, call) =>
    ctx.graph.op('ThresholdedRelu', [singleInput(call)], { alpha: attr.float(numberConfig(call, 'theta', 1)) }));
  register('PReLU', (ctx, call) => ctx.graph.op('PRelu', [singleInput(call), weightInitializer(ctx, call, 'alpha')]));
  register('Softmax', softmaxLayer);
}
