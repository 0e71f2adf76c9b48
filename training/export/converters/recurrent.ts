import type * as tf from '@tensorflow/tfjs';
import { attr, type AttributeValue } from '../graph-builder';
import type { ConversionContext, LayerCall, RegisterConverter, WeightValue } from '../converter-registry';
import { singleInput } from './core';

interface RnnKind {
  readonly opType: 'LSTM' | 'GRU' | 'RNN';
  /** tfjs gate index for each ONNX gate slot (LSTM: Keras i,f,c,o -> ONNX i,o,f,c; GRU z,r,h as is). */
  readonly order: readonly number[];
  /** tfjs activation identifiers in ONNX order (f, g, h). */
  activations(config: Record<string, unknown>): string[];
}

const KINDS: Record<string, RnnKind> = {
  LSTM: {
    opType: 'LSTM',
    order: [0, 3, 1, 2],
    activations: (c) => [str(c['recurrentActivation'], 'hardSigmoid'), str(c['activation'], 'tanh'), str(c['activation'], 'tanh')],
  },
  GRU: {
    opType: 'GRU',
    order: [0, 1, 2],
    activations: (c) => [str(c['recurrentActivation'], 'hardSigmoid'), str(c['activation'], 'tanh')],
  },
  SimpleRNN: { opType: 'RNN', order: [0], activations: (c) => [str(c['activation'], 'tanh')] },
};

function str(v: unknown, fallback: string): string {
  return typeof v === 'string' ? v : fallback;
}

/** tfjs activation -> ONNX RNN activation name with the alpha/beta it consumes (exact equivalents only). */
const RNN_ACTIVATIONS: Record<string, { name: string; alpha?: number; beta?: number }> = {
  tanh: { name: 'Tanh' },
  sigmoid: { name: 'Sigmoid' },
  hardSigmoid: { name: 'HardSigmoid', alpha: 0.2, beta: 0.5 },
  relu: { name: 'Relu' },
  linear: { name: 'Affine', alpha: 1, beta: 0 },
  softsign: { name: 'Softsign' },
  softplus: { name: 'Softplus' },
  elu: { name: 'Elu', alpha: 1 },
};

function activationAttributes(call: LayerCall, ids: string[], directions: number): Record<string, AttributeValue> {
  const names: string[] = [];
  const alphas: number[] = [];
  const betas: number[] = [];
  for (let d = 0; d < directions; d++) {
    for (const id of ids) {
      const a = RNN_ACTIVATIONS[id];
      if (!a)
        call.unsupported(
          'activation',
          `'${id}' has no ONNX recurrent activation equivalent (supported: ${Object.keys(RNN_ACTIVATIONS).join(', ')})`,
        );
      names.push(a!.name);
      if (a!.alpha !== undefined) alphas.push(a!.alpha);
      if (a!.beta !== undefined) betas.push(a!.beta);
    }
  }
  return {
    activations: attr.strings(names),
    ...(alphas.length ? { activation_alpha: attr.floats(alphas) } : {}),
    ...(betas.length ? { activation_beta: attr.floats(betas) } : {}),
  };
}

/** [rows, G*H] tfjs matrix -> [G*H, rows] with gates in ONNX order. */
function gatesToOnnx(m: WeightValue, order: readonly number[], units: number): Float32Array {
  const rows = m.shape[0]!;
  const cols = m.shape[1]!;
  const out = new Float32Array(m.values.length);
  order.forEach((src, slot) => {
    for (let h = 0; h < units; h++) {
      for (let r = 0; r < rows; r++) out[(slot * units + h) * rows + r] = m.values[r * cols + src * units + h]!;
    }
  });
  return out;
}

function directionWeights(ctx: ConversionContext, call: LayerCall, layer: tf.layers.Layer, kind: RnnKind, units: number, useBias: boolean) {
  const need = (suffix: string): WeightValue => {
    const w = ctx.weight(layer, suffix);
    if (!w) call.unsupported(suffix, `recurrent layer '${layer.name}' has no weight '${suffix}'`);
    return w!;
  };
  const g = kind.order.length * units;
  const bias = new Float32Array(2 * g);
  if (useBias) {
    const b = need('bias');
    if (b.values.length !== g) call.unsupported('bias', `expected ${g} bias values, got ${b.values.length}`);
    kind.order.forEach((src, slot) => bias.set(b.values.subarray(src * units, (src + 1) * units), slot * units));
  }
  return { w: gatesToOnnx(need('kernel'), kind.order, units), r: gatesToOnnx(need('recurrent_kernel'), kind.order, units), b: bias };
}

function checkRnnConfig(call: LayerCall, config: Record<string, unknown>): void {
  if (config['returnState']) call.unsupported('returnState', 'returning states is not supported');
  if (config['stateful']) call.unsupported('stateful', 'stateful recurrent layers are not supported');
  if (config['resetAfter']) call.unsupported('resetAfter', 'GRU resetAfter=true is not supported');
}

/**
 * Emits one ONNX LSTM/GRU/RNN node for `layers` (one per direction) on x [N,T,I]; returns Y [T,D,N,H]
 * and Y_h [D,N,H].
 */
function emitRnn(
  ctx: ConversionContext,
  call: LayerCall,
  kind: RnnKind,
  layers: tf.layers.Layer[],
  config: Record<string, unknown>,
  direction: string,
): { y: string; yh: string } {
  const g = ctx.graph;
  const units = config['units'];
  if (typeof units !== 'number') call.unsupported('units', `expected a number, got ${JSON.stringify(units)}`);
  const h = units as number;
  const inputSize = call.inputShapes[0]![2];
  if (typeof inputSize !== 'number')
    call.unsupported('inputShape', `the feature dimension must be known, got [${call.inputShapes[0]!.join(',')}]`);
  const useBias = config['useBias'] !== false;
  const gates = kind.order.length;
  const dirs = layers.map((l) => directionWeights(ctx, call, l, kind, h, useBias));
  const stack = (key: 'w' | 'r' | 'b', shape: number[]): string =>
    ctx.initializer(call.layer, `${kind.opType}_${key}`, () => {
      const values = new Float32Array(dirs.reduce((n, d) => n + d[key].length, 0));
      let at = 0;
      for (const d of dirs) {
        values.set(d[key], at);
        at += d[key].length;
      }
      return { values, shape };
    });
  const d = layers.length;
  const x = g.op('Transpose', [singleInput(call)], { perm: attr.ints([1, 0, 2]) });
  const [y, yh] = g.opMulti(
    kind.opType,
    [x, stack('w', [d, gates * h, inputSize as number]), stack('r', [d, gates * h, h]), stack('b', [d, 2 * gates * h])],
    2,
    {
      hidden_size: attr.int(h),
      direction: attr.string(direction),
      ...activationAttributes(call, kind.activations(config), d),
      ...(kind.opType === 'GRU' ? { linear_before_reset: attr.int(0) } : {}),
    },
  );
  return { y: y!, yh: yh! };
}

function recurrent(ctx: ConversionContext, call: LayerCall): string {
  const g = ctx.graph;
  const kind = KINDS[call.className]!;
  checkRnnConfig(call, call.config);
  const backwards = call.config['goBackwards'] === true;
  const { y, yh } = emitRnn(ctx, call, kind, [call.layer], call.config, backwards ? 'reverse' : 'forward');
  if (!call.config['returnSequences']) return g.op('Squeeze', [yh, g.ints([0])]);
  let seq = g.op('Squeeze', [y, g.ints([1])]); // [T,N,H]
  // tfjs emits a goBackwards sequence in processing order; ONNX keeps original time positions.
  if (backwards) seq = g.op('Slice', [seq, g.ints([-1]), g.ints([-Number.MAX_SAFE_INTEGER]), g.ints([0]), g.ints([-1])]);
  return g.op('Transpose', [seq], { perm: attr.ints([1, 0, 2]) });
}

function bidirectional(ctx: ConversionContext, call: LayerCall): string {
  const g = ctx.graph;
  const wrapper = call.layer as unknown as { forwardLayer: tf.layers.Layer; backwardLayer: tf.layers.Layer };
  const fwd = wrapper.forwardLayer;
  const kind = KINDS[fwd.getClassName()];
  if (!kind) call.unsupported('layer', `Bidirectional(${fwd.getClassName()}) is not supported (LSTM, GRU, SimpleRNN are)`);
  const config = fwd.getConfig() as Record<string, unknown>;
  checkRnnConfig(call, config);
  if (config['goBackwards']) call.unsupported('goBackwards', 'a Bidirectional wrapping a goBackwards layer is not supported');
  const mode = call.config['mergeMode'] ?? 'concat';
  if (!['concat', 'sum', 'mul', 'ave'].includes(mode as string))
    call.unsupported('mergeMode', `'${String(mode)}' is not supported (concat, sum, mul, ave)`);
  const { y, yh } = emitRnn(ctx, call, kind!, [fwd, wrapper.backwardLayer], config, 'bidirectional');
  const sequences = config['returnSequences'] === true;
  const dirAxis = sequences ? 1 : 0; // Y [T,2,N,H] or Y_h [2,N,H]
  const both = sequences ? y : yh;
  if (mode === 'concat') {
    if (sequences) return g.op('Reshape', [g.op('Transpose', [both], { perm: attr.ints([2, 0, 1, 3]) }), g.ints([0, 0, -1])]);
    return g.op('Reshape', [g.op('Transpose', [both], { perm: attr.ints([1, 0, 2]) }), g.ints([0, -1])]);
  }
  const [a, b] = g.opMulti('Split', [both], 2, { axis: attr.int(dirAxis) });
  let merged = g.op(mode === 'mul' ? 'Mul' : 'Add', [a!, b!]);
  if (mode === 'ave') merged = g.op('Mul', [merged, g.scalar(0.5)]);
  const squeezed = g.op('Squeeze', [merged, g.ints([dirAxis])]);
  return sequences ? g.op('Transpose', [squeezed], { perm: attr.ints([1, 0, 2]) }) : squeezed;
}

/** Registers LSTM, GRU, SimpleRNN and Bidirectional (concat, sum, mul, ave). */
export function registerRecurrentConverters(register: RegisterConverter): void {
  for (const name of Object.keys(KINDS)) register(name, recurrent);
  register('Bidirectional', bidirectional);
}
