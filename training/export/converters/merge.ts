import { attr } from '../graph-builder';
import type { ConversionContext, LayerCall, RegisterConverter } from '../converter-registry';

function atLeast(call: LayerCall, n: number): readonly string[] {
  if (call.inputs.length < n) call.unsupported('inputs', `expected at least ${n} inputs, got ${call.inputs.length}`);
  return call.inputs;
}

function chain(ctx: ConversionContext, call: LayerCall, opType: string): string {
  const [first, ...rest] = atLeast(call, 2);
  return rest.reduce((acc, x) => ctx.graph.op(opType, [acc, x]), first!);
}

function concatenate(ctx: ConversionContext, call: LayerCall): string {
  const axis = call.config['axis'] ?? -1;
  if (typeof axis !== 'number' || !Number.isInteger(axis))
    call.unsupported('axis', `expected an integer axis, got ${JSON.stringify(axis)}`);
  return ctx.graph.op('Concat', [...atLeast(call, 2)], { axis: attr.int(axis as number) });
}

/**
 * Registers Add, Multiply, Average, Maximum, Minimum, Concatenate (any axis) and `Subtract` (tfjs 4.22 has
 * no Subtract layer; a custom layer with that class name and two inputs exports as inputs[0] - inputs[1]).
 */
export function registerMergeConverters(register: RegisterConverter): void {
  register('Add', (ctx, call) => chain(ctx, call, 'Add'));
  register('Multiply', (ctx, call) => chain(ctx, call, 'Mul'));
  register('Maximum', (ctx, call) => ctx.graph.op('Max', [...atLeast(call, 2)]));
  register('Minimum', (ctx, call) => ctx.graph.op('Min', [...atLeast(call, 2)]));
  register('Average', (ctx, call) =>
    ctx.graph.op('Div', [chain(ctx, call, 'Add'), ctx.graph.scalar(call.inputs.length)]));
  register('Concatenate', concatenate);
  register('Subtract', (ctx, call) => {
    if (call.inputs.length !== 2) call.unsupported('inputs', `Subtract takes exactly 2 inputs, got ${call.inputs.length}`);
    return ctx.graph.op('Sub', [call.inputs[0]!, call.inputs[1]!]);
  });
}
