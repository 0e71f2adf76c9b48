import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng';
import { seededKernel } from '../models/common';

/**
 * The generator: [z ‖ cond] → model-space row (continuous spans linear, discrete spans logits; the
 * activations that turn logits into one-hots live outside the graph, so the exported ONNX is a plain MLP).
 * Two inputs `z` and `cond` (only `z` when the data has no discrete column).
 */
export function buildGenerator(noiseDim: number, condDim: number, hidden: number[], outDim: number, rng: Rng): tf.LayersModel {
  const z = tf.input({ shape: [noiseDim], name: 'z' });
  const inputs = [z];
  let h: tf.SymbolicTensor = z;
  if (condDim > 0) {
    const cond = tf.input({ shape: [condDim], name: 'cond' });
    inputs.push(cond);
    h = tf.layers.concatenate({ name: 'g_in' }).apply([z, cond]) as tf.SymbolicTensor;
  }
  hidden.forEach((units, i) => {
    const layer = tf.layers.dense({ units, activation: 'relu', kernelInitializer: seededKernel(rng), name: `g_${i + 1}` });
    h = layer.apply(h) as tf.SymbolicTensor;
  });
  const out = tf.layers.dense({ units: outDim, kernelInitializer: seededKernel(rng), name: 'g_out' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs, outputs: out, name: 'gan_generator' });
}

/**
 * The critic/discriminator: an MLP on [x ‖ cond] with leaky ReLU (α = 0.2) written as 0.6x + 0.4|x|, from
 * raw tf ops and variables, because WGAN-GP differentiates its input gradient again and tfjs has no
 * gradient for the comparison inside tf.leakyRelu. Output: one unbounded score per pack of rows (a logit for minimax).
 */
export class Critic {
  readonly variables: tf.Variable[] = [];

  /** pac: rows judged together (PacGAN, CTGAN's pac = 10): the critic sees [n / pac, pac · inDim]. */
  constructor(private readonly inDim: number, hidden: number[], rng: Rng, readonly pac = 1) {
    const dims = [inDim * pac, ...hidden, 1];
    for (let i = 0; i + 1 < dims.length; i++) {
      const limit = Math.sqrt(6 / (dims[i]! + dims[i + 1]!));
      const w = new Float32Array(dims[i]! * dims[i + 1]!);
      for (let k = 0; k < w.length; k++) w[k] = (2 * rng.next() - 1) * limit;
      this.variables.push(tf.variable(tf.tensor2d(w, [dims[i]!, dims[i + 1]!]), true));
      this.variables.push(tf.variable(tf.zeros([dims[i + 1]!]), true));
    }
  }

  /** One score per pack of `pac` consecutive rows (x has a multiple of pac rows). */
  apply(x: tf.Tensor): tf.Tensor {
    let h = this.pac > 1 ? tf.reshape(x, [-1, this.pac * this.inDim]) : x;
    const layers = this.variables.length / 2;
    for (let i = 0; i < layers; i++) {
      h = tf.add(tf.matMul(h, this.variables[2 * i]!), this.variables[2 * i + 1]!);
      if (i + 1 < layers) h = tf.add(tf.mul(0.6, h), tf.mul(0.4, tf.abs(h)));
    }
    return tf.reshape(h, [-1]);
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
