import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../core/rng';
import type { ModelLayout } from '../../core/synthesis/column-spec';
import { FusedAdam, type StepOptimizer } from '../fused-adam';
import { trainableVariables } from '../models/common';
import { Critic } from './gan-networks';

export type GanLoss = 'wgan-gp' | 'minimax' | 'non-saturating';
export const GAN_LOSSES: readonly GanLoss[] = ['wgan-gp', 'minimax', 'non-saturating'];

export interface GanHyper {
  loss: GanLoss;
  noiseDim: number;
  /** Gradient-penalty weight λ (wgan-gp). */
  gpWeight: number;
  /** Critic steps per generator step. */
  criticSteps: number;
  /** Gumbel-softmax temperature for the generator's discrete spans, as CTGAN (0.2). */
  tau: number;
  /** Decay of the generator weight average (0 = none). */
  emaDecay: number;
  /** Weight of the critic's mismatched-real term (0 = none; cond-sampler.ts mismatch). */
  mismatch?: number;
}

/**
 * One adversarial step pair on a batch (CTGAN's recipe, tfjs): fake = G([z, cond]) with Gumbel-softmax on
 * discrete spans; the critic sees [x ‖ cond] for real rows sampled by cond and for fakes.
 * wgan-gp: L_D = E[D(fake)] − E[D(real)] + λ·E[(‖∇D(x̂)‖ − 1)²], x̂ = ε·real + (1−ε)·fake; L_G = −E[D(fake)].
 * minimax (the seed's plain GAN): L_D = −E[log σ(D(real))] − E[log(1 − σ(D(fake)))]; L_G = E[log(1 − σ(D(fake)))].
 * non-saturating: the same L_D, L_G = −E[log σ(D(fake))] (Goodfellow et al.'s practical variant).
 * Both add to L_G the cross-entropy of the conditioned column's logits against cond (CTGAN's L_cond).
 * Matching-aware critic (with `wrong`, weight m = mismatch): real rows whose conditioned column was moved to another
 * category (CondSampler.mismatch) are scored as fakes as well: wgan-gp adds m·(E[D(wrong)] − E[D(real)]), the others
 * m·E[−log(1 − σ(D(wrong)))]. Without it the critic barely looks at how the other columns depend on the condition,
 * and a generator that ignores cond passes.
 * Adam with β = (0.5, 0.9), as WGAN-GP and CTGAN.
 */
export class GanTrainer {
  private readonly gOpt: StepOptimizer;
  private readonly dOpt: StepOptimizer;
  private readonly gVars: tf.Variable[];
  /** Exponential moving average of the generator's weights (what is evaluated and exported). */
  private readonly ema: Float32Array[];
  private steps = 0;

  constructor(
    readonly generator: tf.LayersModel,
    readonly critic: Critic,
    private readonly layout: ModelLayout,
    private readonly p: GanHyper,
    private readonly rng: Rng,
    learningRate: number,
    criticLearningRate = learningRate,
  ) {
    this.gVars = trainableVariables(generator);
    this.ema = this.gVars.map((v) => (v.dataSync() as Float32Array).slice());
    this.gOpt = new FusedAdam(this.gVars, learningRate, 0.5, 0.9);
    this.dOpt = new FusedAdam(critic.variables, criticLearningRate, 0.5, 0.9);
  }

  /** Generator inputs for n rows (cond may be empty when there is no discrete column). */
  generatorInputs(z: tf.Tensor, cond: tf.Tensor): tf.Tensor | tf.Tensor[] {
    return this.layout.condDim > 0 ? [z, cond] : z;
  }

  /** Logits → what the critic sees: continuous spans as they are, discrete spans Gumbel-softmaxed. */
  private activate(out: tf.Tensor, seed: number): tf.Tensor {
    const parts: tf.Tensor[] = [];
    const n = out.shape[0]!;
    let run = -1;
    for (const s of this.layout.spans) {
      if (s.kind === 'continuous') {
        if (run < 0) run = s.start;
        continue;
      }
      if (run >= 0) parts.push(tf.slice(out, [0, run], [n, s.start - run]));
      run = -1;
      const logits = tf.slice(out, [0, s.start], [n, s.size]);
      const u = tf.randomUniform([n, s.size], 1e-6, 1 - 1e-6, 'float32', seed + s.start);
      const g = tf.neg(tf.log(tf.neg(tf.log(u))));
      parts.push(tf.softmax(tf.div(tf.add(logits, g), this.p.tau)));
    }
    if (run >= 0) parts.push(tf.slice(out, [0, run], [n, this.layout.dim - run]));
    return parts.length === 1 ? parts[0]! : tf.concat(parts, 1);
  }

  /** Σ over discrete spans of −cond·log softmax(logits), mean over rows. */
  private condLoss(out: tf.Tensor, cond: tf.Tensor): tf.Tensor {
    if (this.layout.condDim === 0) return tf.scalar(0);
    const n = out.shape[0]!;
    let total: tf.Tensor = tf.scalar(0);
    for (const s of this.layout.spans) {
      if (s.kind !== 'discrete') continue;
      const logp = tf.logSoftmax(tf.slice(out, [0, s.start], [n, s.size]));
      const c = tf.slice(cond, [0, s.condStart], [n, s.size]);
      total = tf.add(total, tf.neg(tf.sum(tf.mul(c, logp))));
    }
    return tf.div(total, n);
  }

  private withCond(x: tf.Tensor, cond: tf.Tensor): tf.Tensor {
    return this.layout.condDim > 0 ? tf.concat([x, cond], 1) : x;
  }

  /** ε per pack (the same mix for all rows of a pack), [n × 1]. */
  private packedUniform(n: number, seed: number): tf.Tensor {
    const pac = this.critic.pac;
    const e = tf.randomUniform([n / pac, 1], 0, 1, 'float32', seed);
    return pac > 1 ? tf.reshape(tf.tile(e, [1, pac]), [n, 1]) : e;
  }

  /** One step; real [n × dim] model-space rows paired with cond [n × condDim]. Returns { g, d } losses. */
  step(real: tf.Tensor, cond: tf.Tensor, wrong?: { x: tf.Tensor; cond: tf.Tensor }): { g: number; d: number } {
    const n = real.shape[0]!;
    let dValue = 0;
    for (let k = 0; k < this.p.criticSteps; k++) {
      const seeds = [this.rng.int(2 ** 30), this.rng.int(2 ** 30), this.rng.int(2 ** 30)];
      const dLoss = this.dOpt.minimize(() => {
        const z = tf.randomNormal([n, this.p.noiseDim], 0, 1, 'float32', seeds[0]);
        const fake = this.activate(this.generator.apply(this.generatorInputs(z, cond)) as tf.Tensor, seeds[1]!);
        const r = this.withCond(real, cond);
        const f = this.withCond(fake, cond);
        const dr = this.critic.apply(r);
        const df = this.critic.apply(f);
        // matching-aware: real rows with a wrong category (wrong) are scored as fakes too, with weight m
        const m = wrong ? (this.p.mismatch ?? 0) : 0;
        const dw = m > 0 ? this.critic.apply(this.withCond(wrong!.x, wrong!.cond)) : null;
        if (this.p.loss !== 'wgan-gp') {
          const base = tf.add(tf.mean(tf.softplus(tf.neg(dr))), tf.mean(tf.softplus(df)));
          return (dw ? tf.add(base, tf.mul(m, tf.mean(tf.softplus(dw)))) : base) as tf.Scalar;
        }
        const eps = this.packedUniform(n, seeds[2]!);
        const mix = tf.add(tf.mul(eps, r), tf.mul(tf.sub(1, eps), f));
        const grad = tf.grad((x: tf.Tensor) => tf.sum(this.critic.apply(x)))(mix);
        // the norm is per pack (what one critic score sees), as CTGAN's calc_gradient_penalty
        const packed = tf.reshape(grad, [n / this.critic.pac, -1]);
        const norm = tf.sqrt(tf.add(tf.sum(tf.square(packed), 1), 1e-12));
        const gp = tf.mean(tf.square(tf.sub(norm, 1)));
        const w = tf.add(tf.sub(tf.mean(df), tf.mean(dr)), tf.mul(this.p.gpWeight, gp));
        return (dw ? tf.add(w, tf.mul(m, tf.sub(tf.mean(dw), tf.mean(dr)))) : w) as tf.Scalar;
      });
      dValue = dLoss.dataSync()[0]!;
      dLoss.dispose();
    }
    const seeds = [this.rng.int(2 ** 30), this.rng.int(2 ** 30)];
    const gLoss = this.gOpt.minimize(() => {
      const z = tf.randomNormal([n, this.p.noiseDim], 0, 1, 'float32', seeds[0]);
      const out = this.generator.apply(this.generatorInputs(z, cond), { training: true }) as tf.Tensor;
      const df = this.critic.apply(this.withCond(this.activate(out, seeds[1]!), cond));
      const adversarial =
        this.p.loss === 'minimax'
          ? tf.neg(tf.mean(tf.softplus(df)))
          : this.p.loss === 'non-saturating'
            ? tf.mean(tf.softplus(tf.neg(df)))
            : tf.neg(tf.mean(df));
      return tf.add(adversarial, this.condLoss(out, cond)) as tf.Scalar;
    });
    const gValue = gLoss.dataSync()[0]!;
    gLoss.dispose();
    this.updateAverage();
    return { g: gValue, d: dValue };
  }

  /** ema ← β·ema + (1 − β)·w with β = min(emaDecay, (1 + t)/(10 + t)) (a short warm-up, then the set decay). */
  private updateAverage(): void {
    this.steps++;
    const beta = Math.min(this.p.emaDecay, (1 + this.steps) / (10 + this.steps));
    this.gVars.forEach((v, i) => {
      const w = v.dataSync() as Float32Array;
      const a = this.ema[i]!;
      for (let k = 0; k < a.length; k++) a[k] = beta * a[k]! + (1 - beta) * w[k]!;
    });
  }

  /** Runs fn with the averaged weights in the generator, then puts the trained ones back. */
  withAveraged<T>(fn: () => T): T {
    if (this.p.emaDecay <= 0) return fn();
    const saved = this.gVars.map((v) => v.clone());
    this.gVars.forEach((v, i) => v.assign(tf.tensor(this.ema[i]!, v.shape)));
    try {
      return fn();
    } finally {
      this.gVars.forEach((v, i) => v.assign(saved[i]!));
      tf.dispose(saved);
    }
  }

  /** Makes the averaged weights the generator's own (before export). */
  adoptAverage(): void {
    if (this.p.emaDecay > 0) this.gVars.forEach((v, i) => v.assign(tf.tensor(this.ema[i]!, v.shape)));
  }

  /** Raw generator output (logits on discrete spans) for z and cond given as arrays. */
  generate(z: Float32Array, cond: Float32Array, n: number): Float32Array {
    return tf.tidy(() => {
      const zt = tf.tensor2d(z, [n, this.p.noiseDim]);
      const ct = tf.tensor2d(cond, [n, Math.max(this.layout.condDim, 0)]);
      return (this.generator.predict(this.generatorInputs(zt, ct)) as tf.Tensor).dataSync() as Float32Array;
    });
  }

  dispose(): void {
    this.gOpt.dispose();
    this.dOpt.dispose();
    this.critic.dispose();
    this.generator.dispose();
  }
}
