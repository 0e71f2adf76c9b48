import * as tf from '@tensorflow/tfjs';

/** What a model's train step needs from an optimizer: minimize a loss over a fixed variable list. */
export interface StepOptimizer {
  /** Computes the loss and its gradients, updates the variables, returns the loss (caller disposes). */
  minimize(loss: () => tf.Scalar): tf.Scalar;
  dispose(): void;
}

/**
 * Adam (the same update and defaults as tf.train.adam: β₁ 0.9, β₂ 0.999, ε 1e-7, bias correction) with
 * the moment updates fused into one JS pass per variable. tfjs' Adam issues ~12 kernels per variable per
 * step; on WASM and the JS backend, where small kernels are dispatch-bound, this one pass over the
 * gradient values is several times cheaper. Each variable gets its new values by one assign.
 */
export class FusedAdam implements StepOptimizer {
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private beta1Power = 1;
  private beta2Power = 1;

  constructor(
    private readonly vars: tf.Variable[],
    private readonly learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-7,
  ) {
    this.m = vars.map((x) => new Float32Array(x.size));
    this.v = vars.map((x) => new Float32Array(x.size));
  }

  minimize(loss: () => tf.Scalar): tf.Scalar {
    const { value, grads } = tf.variableGrads(loss, this.vars);
    this.beta1Power *= this.beta1;
    this.beta2Power *= this.beta2;
    const lr = this.learningRate;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const c1 = 1 / (1 - this.beta1Power);
    const c2 = 1 / (1 - this.beta2Power);
    const eps = this.epsilon;
    this.vars.forEach((variable, i) => {
      const grad = grads[variable.name];
      if (!grad) return;
      const g = grad.dataSync() as Float32Array;
      const w = variable.dataSync() as Float32Array;
      const next = new Float32Array(w.length);
      const m = this.m[i]!;
      const v = this.v[i]!;
      for (let j = 0; j < w.length; j++) {
        const gj = g[j]!;
        const mj = b1 * m[j]! + (1 - b1) * gj;
        const vj = b2 * v[j]! + (1 - b2) * gj * gj;
        m[j] = mj;
        v[j] = vj;
        next[j] = w[j]! - (lr * (mj * c1)) / (Math.sqrt(vj * c2) + eps);
      }
      const t = tf.tensor(next, variable.shape, 'float32');
      variable.assign(t);
      t.dispose();
    });
    tf.dispose(grads);
    return value;
  }

  dispose(): void {
    // Moments live in JS arrays; nothing on the backend to free.
  }
}

/** tf.train.adam behind the StepOptimizer interface (for backends where reading values back is costly). */
class TfAdam implements StepOptimizer {
  private readonly opt: tf.Optimizer;
  constructor(private readonly vars: tf.Variable[], learningRate: number) {
    this.opt = tf.train.adam(learningRate);
  }
  minimize(loss: () => tf.Scalar): tf.Scalar {
    return this.opt.minimize(loss, true, this.vars)!;
  }
  dispose(): void {
    this.opt.dispose();
  }
}

/** Fused Adam on 'wasm' and 'cpu' (values live in host memory); tfjs' own Adam elsewhere (tensorflow/GPU). */
export function createAdam(vars: tf.Variable[], learningRate: number): StepOptimizer {
  const backend = tf.getBackend();
  return backend === 'wasm' || backend === 'cpu' ? new FusedAdam(vars, learningRate) : new TfAdam(vars, learningRate);
}
