import type * as tf from '@tensorflow/tfjs';
import type { ConversionContext, LayerCall, RegisterConverter } from '../converter-registry';
import { singleInput } from './core';

/** Layers that act on the last axis only, so TimeDistributed(layer) is the layer applied to [N,T,...]. */
const LAST_AXIS_LAYERS = new Set(['Dense', 'Activation', 'Dropout', 'ReLU', 'LeakyReLU', 'ELU', 'ThresholdedReLU']);

/** TimeDistributed(inner): folds time into the batch ([N*T, ...]), applies inner, unfolds. */
function timeDistributed(ctx: ConversionContext, call: LayerCall): string {
  const g = ctx.graph;
  const inner = (call.layer as unknown as { layer: tf.layers.Layer }).layer;
  const x = singleInput(call);
  const inShape = call.inputShapes[0]!;
  const outShape = call.outputShapes[0]!;
  const innerIn = [null, ...inShape.slice(2)];
  const innerOut = [null, ...outShape.slice(2)];
  if (LAST_AXIS_LAYERS.has(inner.getClassName()) && inShape.length === 3) {
    return ctx.convertLayer(inner, [x], [inShape], [outShape])[0]!;
  }
  const t = inShape[1];
  if (typeof t !== 'number' || [...innerIn.slice(1), ...innerOut.slice(1)].some((d) => typeof d !== 'number')) {
    call.unsupported(
      'inputShape',
      `TimeDistributed(${inner.getClassName()}) needs known time and feature sizes, got [${inShape.join(',')}]`,
    );
  }
  const folded = g.op('Reshape', [x, g.ints([-1, ...(innerIn.slice(1) as number[])])]);
  const y = ctx.convertLayer(inner, [folded], [innerIn], [innerOut])[0]!;
  return g.op('Reshape', [y, g.ints([-1, t as number, ...(innerOut.slice(1) as number[])])]);
}

/** Registers TimeDistributed. */
export function registerWrapperConverters(register: RegisterConverter): void {
  register('TimeDistributed', timeDistributed);
}
