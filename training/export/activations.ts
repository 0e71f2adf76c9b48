import { attr, type GraphBuilder } from './graph-builder';

/** tfjs activation identifiers (as serialized in layer configs) that `emitActivation` translates. */
export const SUPPORTED_ACTIVATIONS = [
  'linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'hardSigmoid', 'tanh', 'softplus', 'softsign',
  'swish', 'mish', 'gelu', 'gelu_new', 'softmax', 'logSoftmax',
] as const;

/**
 * Emits the ONNX for a tfjs 4.22 activation function, matching its formula exactly:
 * hardSigmoid = clip(0.2x + 0.5, 0, 1); gelu = 0.5x(1 + erf(x/√2)); gelu_new = tanh approximation;
 * swish = x·sigmoid(x); mish = x·tanh(softplus(x)); selu with Keras' constants; softmax over the last axis.
 * Returns undefined for an identifier it does not know (the caller raises the named error).
 */
export function emitActivation(g: GraphBuilder, identifier: string, x: string): string | undefined {
  switch (identifier) {
    case 'linear': return x;
    case 'relu': return g.op('Relu', [x]);
    case 'relu6': return g.op('Clip', [x, g.scalar(0), g.scalar(6)]);
    case 'elu': return g.op('Elu', [x], { alpha: attr.float(1) });
    case 'selu':
      return g.op('Selu', [x], { alpha: attr.float(1.6732632423543772), gamma: attr.float(1.0507009873554805) });
    case 'sigmoid': return g.op('Sigmoid', [x]);
    case 'hardSigmoid': return g.op('HardSigmoid', [x], { alpha: attr.float(0.2), beta: attr.float(0.5) });
    case 'tanh': return g.op('Tanh', [x]);
    case 'softplus': return g.op('Softplus', [x]);
    case 'softsign': return g.op('Softsign', [x]);
    case 'swish': return g.op('Mul', [x, g.op('Sigmoid', [x])]);
    case 'mish': return g.op('Mul', [x, g.op('Tanh', [g.op('Softplus', [x])])]);
    case 'gelu': {
      const erf = g.op('Erf', [g.op('Div', [x, g.scalar(Math.SQRT2)])]);
      return g.op('Mul', [x, g.op('Mul', [g.scalar(0.5), g.op('Add', [g.scalar(1), erf])])]);
    }
    case 'gelu_new': {
      const cube = g.op('Mul', [g.scalar(0.044715), g.op('Pow', [x, g.scalar(3)])]);
      const inner = g.op('Mul', [g.scalar(Math.sqrt(2 / Math.PI)), g.op('Add', [x, cube])]);
      const t = g.op('Add', [g.scalar(1), g.op('Tanh', [inner])]);
      return g.op('Mul', [g.scalar(0.5), g.op('Mul', [x, t])]);
    }
    case 'softmax': return g.op('Softmax', [x], { axis: attr.int(-1) });
    case 'logSoftmax': return g.op('LogSoftmax', [x], { axis: attr.int(-1) });
    default: return undefined;
  }
}
