import * as tf from '@tensorflow/tfjs';
import { hashTrainingRows } from '../../core/data-hash';
import { InternalError } from '../../core/errors';
import { closestDistances } from '../../core/fidelity/closest-distance';
import { parseManifest } from '../../core/manifest';
import { Rng } from '../../core/rng';
import { fitScaler } from '../../core/scaler';
import { calibrateThreshold, parseThresholdSpec } from '../../core/threshold';
import { GENERATOR_FILE } from '../../storage/artifact/layout';
import { selectBackend } from '../backend';
import { TrainingConfigError } from '../errors';
import { exportToOnnx, ONNX_OPSET } from '../export';
import type { EpochHistory } from '../loop';
import { checkConfigKeys, configInt, configInts, configNumber } from '../models/common';
import type { ZooModel } from '../models/types';
import { createProgress } from '../progress';
import type { TrainOptions, TrainResult } from '../train';
import { prepareGanData } from './gan-data';
import { CopyGuard } from './gan-copy-guard';
import { drawRaw, GAN_CRITERIA, HeldOutFidelity, type GanCriterion } from './gan-fidelity';
import { buildGenerator, Critic } from './gan-networks';
import { GAN_LOSSES, GanTrainer, type GanLoss } from './gan-trainer';
import { manifestHeader } from '../manifest-header';

const MIN_EPOCH_STEPS = 20;

const CONFIG_KEYS = [
  'hidden', 'critic_hidden', 'noise', 'loss', 'gp_weight', 'critic_steps', 'critic_lr', 'ema', 'max_categories', 'eval_rows',
  'pac', 'criterion', 'mismatch',
];

/**
 * `--model gan` (rows, or windows of a series with `--window`: gan-data.ts): CTGAN-style conditional WGAN-GP on the columns' model space
 * (core/synthesis), early stopping on the held-out rows' mean normalised Wasserstein distance to a fresh
 * synthetic sample after every epoch (not on a loss) plus the near-copy guard's penalty (gan-copy-guard.ts:
 * copying training rows beyond what held-out rows do themselves), best generator restored. The artifact's ONNX file is
 * the generator (`generator.onnx`: z [N, noise] and cond [N, cond_dim] → model-space logits); the
 * manifest's `synthesis` section holds what `residual sample` needs to turn that into rows.
 */
export async function trainGan(options: TrainOptions, started: number, version: (d: Date) => string): Promise<TrainResult> {
  const { data } = options;
  if (data.target) throw new TrainingConfigError(`model kind 'gan' cannot train on data.target`);
  const cfg = options.modelConfig ?? {};
  checkConfigKeys('gan', cfg, CONFIG_KEYS);
  const loss = (cfg['loss'] ?? 'wgan-gp') as GanLoss;
  if (!GAN_LOSSES.includes(loss)) throw new TrainingConfigError(`gan config loss must be one of ${GAN_LOSSES.join(', ')}`);
  const hidden = configInts(cfg, 'hidden', [128, 128]);
  const criticHidden = configInts(cfg, 'critic_hidden', [128, 128]);
  const noiseDim = configInt(cfg, 'noise', 32);
  const gpWeight = configNumber(cfg, 'gp_weight', 10);
  const criticSteps = configInt(cfg, 'critic_steps', loss === 'wgan-gp' ? 5 : 1);
  const pac = configInt(cfg, 'pac', 10);
  const emaDecay = configNumber(cfg, 'ema', 0.99, 0, 0.9999);
  const maxCategories = configInt(cfg, 'max_categories', 10);
  const evalRows = configInt(cfg, 'eval_rows', 2000, 10);
  const mismatch = configNumber(cfg, 'mismatch', 1, 0, 10);
  const criterion = (cfg['criterion'] ?? 'wasserstein_mean') as GanCriterion;
  if (!GAN_CRITERIA.includes(criterion)) throw new TrainingConfigError(`gan config criterion must be one of ${GAN_CRITERIA.join(', ')}`);
  const seed = options.seed ?? 42;
  const epochs = options.epochs ?? 100;
  const batchSize = options.batchSize ?? 500;
  const learningRate = options.learningRate ?? 1e-3;
  const criticLr = configNumber(cfg, 'critic_lr', learningRate, 1e-7, 1);
  const patience = options.patience ?? 10;
  const split = options.validationSplit ?? 0.2;
  const thresholdSpec = options.threshold ?? 'percentile:99.5';
  parseThresholdSpec(thresholdSpec);
  if (!(split > 0 && split < 1)) throw new TrainingConfigError(`validationSplit must be in (0, 1), got ${split}`);
  const F = data.features.length;
  const backend = await selectBackend(options.backend ?? 'auto');
  const rng = new Rng(seed);

  const window = options.window ?? null;
  const prepared = prepareGanData(data.values, data.features, { window, split, maxCategories, evalRows }, rng);
  const { spec, layout, sampler, encoded, holdout, width, steps: T } = prepared;
  const gen = buildGenerator(noiseDim, layout.condDim, hidden, layout.dim, rng.fork());
  const critic = new Critic(layout.dim + layout.condDim, criticHidden, rng.fork(), pac);
  const hyper = { loss, noiseDim, gpWeight, criticSteps, tau: 0.2, emaDecay, mismatch };
  const trainer = new GanTrainer(gen, critic, layout, hyper, rng.fork(), learningRate, criticLr);
  const config = {
    hidden, critic_hidden: criticHidden, noise: noiseDim, loss, gp_weight: gpWeight, critic_steps: criticSteps,
    critic_lr: criticLr, ema: emaDecay, pac, mismatch,
    max_categories: maxCategories, eval_rows: evalRows, criterion,
  };
  const zoo = ganZoo(trainer, config);
  try {
    // a whole number of packs (the critic judges pac rows at a time)
    const batch = Math.max(pac, Math.floor(Math.min(batchSize, prepared.train) / pac) * pac);
    // an epoch is at least MIN_EPOCH_STEPS steps, so that patience means the same on 600 rows as on 60,000
    const steps = Math.max(MIN_EPOCH_STEPS, Math.floor(prepared.train / batch));
    const progress = createProgress({ mode: options.progress ?? 'auto', label: 'train gan' });
    const history: (EpochHistory & { dLoss: number })[] = [];
    const evalRng = rng.fork();
    const fidelityOf = new HeldOutFidelity(holdout, width, criterion);
    const guard = new CopyGuard(prepared.reference, holdout, width);
    let best = Infinity;
    let bestFidelity = Infinity;
    let bestEpoch = 0;
    let bestWeights: tf.Tensor[] | null = null;
    let stale = 0;
    const bx = new Float32Array(batch * layout.dim);
    progress.start(epochs);
    for (let epoch = 1; epoch <= epochs && stale < patience; epoch++) {
      let gSum = 0;
      let dSum = 0;
      for (let s = 0; s < steps; s++) {
        const { cond, pick } = sampler.train(batch, prepared.train, rng);
        for (let i = 0; i < batch; i++) bx.set(encoded.subarray(pick[i]! * layout.dim, (pick[i]! + 1) * layout.dim), i * layout.dim);
        const real = tf.tensor2d(bx, [batch, layout.dim]);
        const c = tf.tensor2d(cond, [batch, layout.condDim]);
        const mm = mismatch > 0 && layout.condDim > 0 ? sampler.mismatch(bx, cond, batch, rng) : null;
        const wrong = mm ? { x: tf.tensor2d(mm.x, [batch, layout.dim]), cond: tf.tensor2d(mm.cond, [batch, layout.condDim]) } : undefined;
        const l = trainer.step(real, c, wrong);
        tf.dispose([real, c, ...(wrong ? [wrong.x, wrong.cond] : [])]);
        if (!Number.isFinite(l.g) || !Number.isFinite(l.d)) throw new TrainingConfigError(`gan losses diverged at epoch ${epoch}`);
        gSum += l.g;
        dSum += l.d;
        progress.batch?.({ epoch, epochs, batch: s + 1, batches: steps });
      }
      const { fidelity, copies, score, weights } = trainer.withAveraged(() => {
        // at least evalRows synthetic samples, so that the criterion's noise from the synthetic side stays small
        const fake = drawRaw(trainer, sampler, spec, Math.max(evalRows, holdout.length / width), noiseDim, evalRng.fork(), T);
        const w = fidelityOf.score(fake);
        const c = guard.check(fake);
        const g = w + c.penalty;
        return { fidelity: w, copies: c, score: g, weights: g < best ? gen.getWeights().map((t) => t.clone()) : null };
      });
      history.push({ epoch, loss: gSum / steps, valLoss: score, dLoss: dSum / steps });
      const detail = `G ${fmt(gSum / steps)} D ${fmt(dSum / steps)} W ${fmt(fidelity)} copies ${(100 * copies.share).toFixed(1)} %`;
      progress.epoch({ epoch, epochs, loss: gSum / steps, valLoss: score, detail });
      if (weights) {
        best = score;
        bestFidelity = fidelity;
        bestEpoch = epoch;
        stale = 0;
        tf.dispose(bestWeights ?? []);
        bestWeights = weights;
      } else stale++;
    }
    if (bestWeights) {
      gen.setWeights(bestWeights);
      tf.dispose(bestWeights);
    }
    progress.stop(`best held-out fidelity (${criterion}) ${fmt(bestFidelity)}, with the near-copy guard ${fmt(best)}, ` +
      `at epoch ${bestEpoch} of ${history.length}`);

    const scaler = fitScaler(data.values, F, 'standard');
    const synth = drawRaw(trainer, sampler, spec, holdout.length / width, noiseDim, evalRng.fork(), T);
    const dcr = closestDistances(holdout, synth, width, Array.from({ length: width }, (_, j) => scaler.scale[j % F]!));
    const copies = guard.check(synth);
    const threshold = calibrateThreshold(dcr, thresholdSpec);
    const outName = gen.outputNames[0] ?? 'g_out';
    const inputs = [{ name: 'z', dtype: 'float32' as const, shape: ['N', noiseDim] }];
    if (layout.condDim > 0) inputs.push({ name: 'cond', dtype: 'float32' as const, shape: ['N', layout.condDim] });
    const manifest = parseManifest({
      ...manifestHeader('gan', options, version),
      training: {
        backend, seed, epochs: history.length, duration_ms: Date.now() - started,
        data_hash: hashTrainingRows(data.features, data.values),
        data_rows: data.values.length / F,
        data_bytes: data.sourceBytes ?? data.values.byteLength,
        config: {
          batch_size: batch, max_epochs: epochs, learning_rate: learningRate, patience, validation_split: split,
          threshold: thresholdSpec, train_samples: prepared.train, validation_samples: prepared.held, model: config,
        },
      },
      features: data.features,
      layout: window ? 'windows' : 'rows',
      window,
      scaler,
      score: { error: 'mse' },
      latent_dim: null,
      onnx: { file: GENERATOR_FILE, opset: ONNX_OPSET, inputs, outputs: [{ name: outName, dtype: 'float32', shape: ['N', layout.dim] }] },
      threshold,
      metrics: {
        validation: {
          ...(history.length ? { loss: best, fidelity: bestFidelity, best_epoch: bestEpoch, final_train_loss: history.at(-1)!.loss } : {}),
          ...(history.length ? { final_critic_loss: history.at(-1)!.dLoss } : {}),
          samples: prepared.held,
          near_copy_share: copies.share,
          holdout_near_copy_share: guard.holdoutShare,
          near_copy_excess: copies.excess,
        },
      },
      synthesis: { ...spec, noise_dim: noiseDim, cond_dim: layout.condDim, model_dim: layout.dim, criterion },
    });
    const onnx = options.exportOnnx === false ? null : exportToOnnx(gen, {
      metadata: { 'residual.manifest': JSON.stringify(manifest), 'residual.role': 'gan-generator' },
      producerVersion: manifest.producer.version,
    });
    return { model: gen, zoo, manifest, onnx, extraFiles: {}, history, validationScores: Float32Array.from(dcr), backend };
  } catch (err) {
    zoo.dispose();
    throw err;
  }
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(4) : String(v);
}

/** The trained gan as TrainResult.zoo (dispose frees generator, critic and optimizers; it is not stepped by the shared loop). */
function ganZoo(trainer: GanTrainer, config: Record<string, unknown>): ZooModel {
  const refuse = (): never => {
    throw new InternalError("a 'gan' trains in training/gan/train-gan.ts, not through the shared training loop");
  };
  return {
    kind: 'gan', model: trainer.generator, head: {}, latentDim: null, config,
    trainStep: refuse, evalLoss: refuse, dispose: () => trainer.dispose(),
  };
}
