import { attr } from '../graph-builder';
import type { ConversionContext, LayerCall, RegisterConverter } from '../converter-registry';
import { singleInput } from './core';
import { numberConfig, requireWeight } from './weights';

function normalizeAxis(call: LayerCall, axis: number): number {
  const rank = call.inputShapes[0]!.length;
  const a = axis < 0 ? axis + rank : axis;
  if (a <= 0 || a >= rank) call.unsupported('axis', `axis ${axis} is out of range for a rank-${rank} input`);
  return a;
}

/** Inference-mode batch norm: (x - moving_mean) * gamma / sqrt(moving_variance + epsilon) + beta. */
function batchNormalization(ctx: ConversionContext, call: LayerCall): string {
  const g = ctx.graph;
  const x = singleInput(call);
  const rawAxis = call.config['axis'] ?? -1;
  if (typeof rawAxis !== 'number') call.unsupported('axis', `only a single axis is supported, got ${JSON.stringify(rawAxis)}`);
  const axis = normalizeAxis(call, rawAxis as number);
  const rank = call.inputShapes[0]!.length;
  if (axis !== rank - 1) {
    // tfjs 4.22's cpu/wasm batchNorm kernels index the statistics modulo their length (as if on the last
    // axis), so tfjs itself does not compute the documented formula here; refuse rather than disagree.
    call.unsupported('axis', `only the last axis is supported, got ${String(rawAxis)} (tfjs 4.22 computes other axes inconsistently)`);
  }
  const eps = numberConfig(call, 'epsilon', 1e-3);
  const mean = requireWeight(ctx, call, 'moving_mean');
  const variance = requireWeight(ctx, call, 'moving_variance');
  const gamma = call.config['scale'] !== false ? requireWeight(ctx, call, 'gamma') : undefined;
  const beta = call.config['center'] !== false ? requireWeight(ctx, call, 'beta') : undefined;
  const c = mean.values.length;
  const dims = Array.from({ length: rank - axis }, (_, i) => (i === 0 ? c : 1));
  const meanName = ctx.initializer(call.layer, 'bn_mean', () => ({ values: mean.values, shape: dims }));
  const mulName = ctx.initializer(call.layer, 'bn_multiplier', () => ({
    values: Float32Array.from(variance.values, (v, i) => (gamma ? gamma.values[i]! : 1) / Math.sqrt(v + eps)),
    shape: dims,
  }));
  let y = g.op('Mul', [g.op('Sub', [x, meanName]), mulName]);
  if (beta) y = g.op('Add', [y, ctx.initializer(call.layer, 'bn_beta', () => ({ values: beta.values, shape: dims }))]);
  return y;
}

function layerNormalization(ctx: ConversionContext, call: LayerCall): string {
  const g = ctx.graph;
  const x = singleInput(call);
  const rank = call.inputShapes[0]!.length;
  const raw = call.config['axis'] ?? -1;
  const axes = (Array.isArray(raw) ? raw : [raw]).map((a) => normalizeAxis(call, a as number)).sort((a, b) => a - b);
  const first = axes[0]!;
  if (axes.some((a, i) => a !== first + i) || axes[axes.length - 1] !== rank - 1) {
    call.unsupported('axis', `only trailing contiguous axes are supported, got ${JSON.stringify(raw)}`);
  }
  const normShape = call.inputShapes[0]!.slice(first) as number[];
  if (normShape.some((d) => typeof d !== 'number'))
    call.unsupported('inputShape', `normalized dimensions must be known, got [${normShape.join(',')}]`);
  const size = normShape.reduce((a, b) => a * b, 1);
  const scale = call.config['scale'] !== false
    ? ctx.initializer(call.layer, 'ln_gamma', () => ({ values: requireWeight(ctx, call, 'gamma').values, shape: normShape }))
    : g.floatTensor(new Float32Array(size).fill(1), normShape, 'ln_ones');
  const inputs = [x, scale];
  if (call.config['center'] !== false) {
    inputs.push(ctx.initializer(call.layer, 'ln_beta', () => ({ values: requireWeight(ctx, call, 'beta').values, shape: normShape })));
  }
  return g.op('LayerNormalization', inputs, { axis: attr.int(first), epsilon: attr.float(numberConfig(call, 'epsilon', 1e-3)) });
}

/** Registers BatchNormalization (inference statistics) and LayerNormalization. */
export function registerNormalizationConverters(register: RegisterConverter): void {
  register('BatchNormalization', batchNormalization);
  register('LayerNormalization', layerNormalization);
}
