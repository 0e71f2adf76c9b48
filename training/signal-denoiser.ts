import * as tf from '@tensorflow/tfjs';
import { InputError } from '../core/errors';
import type { ScalerParams } from '../core/scaler';
import { augmentRows } from '../core/signal/augment-rows';
import { checkSampleRate, parseAugmentSpec } from '../core/signal/ecg-noise';
import { denoiseFigures, morphologyGate } from '../core/signal/ecg-metrics';
import { denoiseWindows } from './denoise-windows';
import type { ZooModel } from './models/types';

/** The gate's outcome, recorded in manifest.signal.gate; the figures go into metrics.validation. */
export interface SignalEvaluation {
  figures: Record<string, number>;
  gate: 'passed' | 'failed' | 'not-run';
  /** Why the gate failed or was not run. */
  reason?: string;
  /**
   * Models with a filter branch: what the gate kept on the held-out rows (filterFallback): 'network', 'filter' (the
   * correction was zeroed, so the model and its ONNX graph are that filter alone), 'lowpass' (the filter without its
   * high-pass) or 'identity' (none beat the noisy input: the graph returns its input).
   */
  denoiser?: DenoiserChoice;
}

/** What trainModel needs for a continuous-signal denoiser (TrainOptions.signal). */
export interface SignalTrainOptions {
  sampleRate: number;
  hop: number;
  augment?: string;
  evaluate(zm: ZooModel, scaler: ScalerParams): SignalEvaluation;
}

export interface SignalTrainingInput {
  features: string[];
  /** The recording, rows × leads: clean with `augment`, else the noisy input paired with `target`. */
  values: Float32Array;
  target?: Float32Array;
  sampleRate: number;
  augment?: string;
  /** Rows per window (default: a multiple of 16 near 0.75 s). */
  window?: number;
  seed: number;
  /** Fraction of the recording (its end) held out for the morphology gate (default 0.2). */
  holdout?: number;
}

/** Lead-windows per training epoch the window stride aims at (windows × leads; the per-lead U-Net sees each lead alone). */
export const TRAIN_LEAD_WINDOWS = 4096;

/**
 * Rows between training windows: window/8, or more when that would give more than TRAIN_LEAD_WINDOWS windows × leads
 * per epoch (a long or many-lead recording then costs about the same per epoch as a short one), at most a window.
 */
export function trainingStride(t: number, rows: number, leads: number): number {
  const budget = Math.ceil((rows * leads) / TRAIN_LEAD_WINDOWS);
  return Math.min(t, Math.max(1, t >> 3, budget));
}

/** The default denoiser window: the multiple of 16 nearest 0.75 s (at least 32 rows). */
export function defaultSignalWindow(fs: number): number {
  return Math.max(32, Math.round((0.75 * fs) / 16) * 16);
}

/**
 * Prepares noisy → clean training for a continuous recording: the last `holdout` of the rows are kept out of
 * training for the morphology gate; with `augment`, the first part is corrupted into `copies` noisy copies
 * (core/signal/ecg-noise.ts) and the held-out part once with a separate seed; with `target`, the given pairs
 * are split the same way. Windows of `window` rows every trainingStride rows train the model; scoring
 * overlap-adds windows every window/2 rows (manifest.signal.denoise_hop).
 */
export function prepareSignalTraining(input: SignalTrainingInput): {
  values: Float32Array; target: Float32Array; window: { size: number; stride: number }; signal: SignalTrainOptions;
} {
  const f = input.features.length;
  const fs = input.sampleRate;
  if (!(Number.isFinite(fs) && fs > 0)) throw new InputError('--sample-rate must be a positive number of Hz');
  const spec = input.augment !== undefined ? parseAugmentSpec(input.augment) : null;
  if (spec) checkSampleRate(fs, spec);
  if (!spec && !input.target) throw new InputError('a continuous-signal denoiser needs --augment SPEC or --target clean-table');
  const t = input.window ?? defaultSignalWindow(fs);
  const rows = input.values.length / f;
  const holdRows = Math.round(rows * (input.holdout ?? 0.2));
  const gateRows = holdRows >= 2 * t ? holdRows : 0;
  const trainRows = rows - gateRows;
  if (trainRows < 2 * t) {
    throw new InputError(`the recording has ${rows} rows: too short to train windows of ${t} rows (needs at least ${2 * t} for training)`);
  }
  const cut = trainRows * f;
  let values: Float32Array;
  let target: Float32Array;
  let holdClean: Float32Array;
  let holdNoisy: Float32Array;
  /** with --augment: the held-out rows corrupted again at FALLBACK_LEVELS of the SNR range (the fallback compares on all) */
  let levels: Float32Array[] = [];
  if (spec) {
    const a = augmentRows(input.values.subarray(0, cut), f, fs, spec, input.seed);
    values = a.noisy;
    target = a.clean;
    holdClean = input.values.slice(cut);
    holdNoisy = augmentRows(holdClean, f, fs, { ...spec, copies: 1 }, input.seed + 7919).noisy;
    const [lo, hi] = spec.snrDb;
    levels = FALLBACK_LEVELS.map((k, i) => {
      const snr = lo + k * (hi - lo);
      return augmentRows(holdClean, f, fs, { ...spec, copies: 1, snrDb: [snr, snr] }, input.seed + 7919 + 1 + i).noisy;
    });
  } else {
    values = input.values.slice(0, cut);
    target = input.target!.slice(0, cut);
    holdNoisy = input.values.slice(cut);
    holdClean = input.target!.slice(cut);
  }
  const hop = Math.max(1, t >> 1);
  return {
    values,
    target,
    window: { size: t, stride: trainingStride(t, values.length / f, f) },
    signal: {
      sampleRate: fs,
      hop,
      ...(input.augment !== undefined ? { augment: input.augment } : {}),
      evaluate(zm, scaler) {
        if (gateRows === 0) return { figures: {}, gate: 'not-run', reason: `the held-out part is shorter than ${2 * t} rows` };
        const figuresOn = (noisy: Float32Array) =>
          denoiseFigures(holdClean, noisy, denoiseWindows(zm.model, noisy, f, scaler, t, hop), f, fs);
        const identityOn = (noisy: Float32Array) => denoiseFigures(holdClean, noisy, noisy, f, fs);
        const figures: Record<string, number> = { gate_rows: gateRows };
        const choice = filterFallback(zm, [holdNoisy, ...levels], figuresOn, identityOn);
        // the means over the noisy versions compared (the fallback's decision) go into the figures too
        if (choice) Object.assign(figures, choice.means);
        const all = choice ? choice.kept : figuresOn(holdNoisy);
        for (const [k, v] of Object.entries(all)) if (Number.isFinite(v)) figures[k] = v;
        const reason = morphologyGate(all);
        const denoiser = choice ? { denoiser: choice.denoiser } : {};
        return reason === null ? { figures, gate: 'passed', ...denoiser } : { figures, gate: 'failed', reason, ...denoiser };
      },
    },
  };
}

type Figures = ReturnType<typeof denoiseFigures>;

/** Where in the --augment SNR range (0 = its low end, 1 = its high end) the fallback also compares network and filter. */
export const FALLBACK_LEVELS = [0, 0.25, 0.5, 0.75, 1];

/** The gate's choice of denoiser (manifest.signal.denoiser). */
export type DenoiserChoice = 'network' | 'filter' | 'lowpass' | 'identity';

/**
 * For a model with a filter branch (a 'lowpass' layer and a zero-initialised 'correction' layer, conv1d-unet.ts):
 * the held-out rows are denoised by the model, by the filter alone (correction zeroed), by its low-pass alone when
 * the branch has a high-pass ('baseline' layer), and by the identity (the noisy input), on every noisy version given
 * (the gate's own draw, and with --augment the same rows at FALLBACK_LEVELS of the SNR range). A candidate is
 * eligible when its mean SNR near atypical beats (when there are any) is at least the identity's, and the network
 * only when it is also at least the filter's; of the eligible, the highest mean SNR is kept (the identity when none
 * beats it). Filter: the correction stays zeroed. Lowpass: the baseline weights are zeroed too (a recording whose own
 * baseline drifts can lose more to a window-limited high-pass than the wander it removes). Identity: the low-pass
 * kernel becomes a unit impulse as well, so the graph returns its input. The returned figures are those of the first
 * noisy version for the kept candidate, with the means of each. Null for other models.
 */
function filterFallback(
  zm: ZooModel, noisy: Float32Array[], figuresOn: (noisy: Float32Array) => Figures, identityOn: (noisy: Float32Array) => Figures,
): { denoiser: DenoiserChoice; kept: Figures; means: Record<string, number> } | null {
  const layers = zm.model.layers.map((l) => l.name);
  if (!layers.includes('lowpass') || !layers.includes('correction')) return null;
  const mean = (figures: Figures[], key: 'snr_db' | 'atypical_snr_db') => figures.reduce((s, x) => s + x[key], 0) / figures.length;
  const figures: Record<DenoiserChoice, Figures[]> = {
    network: noisy.map(figuresOn), filter: [], lowpass: [], identity: noisy.map(identityOn),
  };
  const correction = zm.model.getLayer('correction');
  const trained = correction.getWeights().map((w) => w.clone());
  setZero(correction);
  figures.filter = noisy.map(figuresOn);
  const baseline = layers.includes('baseline') ? zm.model.getLayer('baseline') : null;
  const baselineWeights = baseline ? baseline.getWeights().map((w) => w.clone()) : [];
  if (baseline) {
    setZero(baseline);
    figures.lowpass = noisy.map(figuresOn);
  }
  const snr = (c: DenoiserChoice) => mean(figures[c], 'snr_db');
  const atyp = (c: DenoiserChoice) => mean(figures[c], 'atypical_snr_db');
  const hasAtypical = Number.isFinite(atyp('identity'));
  const eligible = (c: DenoiserChoice) => !hasAtypical || atyp(c) >= atyp('identity');
  const candidates: DenoiserChoice[] = ['identity'];
  if (eligible('filter')) candidates.push('filter');
  if (baseline && eligible('lowpass')) candidates.push('lowpass');
  if (eligible('network') && (!hasAtypical || atyp('network') >= atyp('filter'))) candidates.push('network');
  const denoiser = candidates.reduce((a, b) => (snr(b) > snr(a) ? b : a));
  if (denoiser === 'network') correction.setWeights(trained);
  if (baseline && (denoiser === 'network' || denoiser === 'filter')) baseline.setWeights(baselineWeights);
  if (denoiser === 'identity') {
    const lowpass = zm.model.getLayer('lowpass');
    const [k] = lowpass.getWeights();
    const taps = k!.shape[0]!;
    const impulse = new Float32Array(taps);
    impulse[(taps - 1) / 2] = 1;
    lowpass.setWeights([tf.tensor4d(impulse, k!.shape as [number, number, number, number])]);
  }
  tf.dispose([...trained, ...baselineWeights]);
  const means: Record<string, number> = {};
  for (const c of ['network', 'filter', 'lowpass', 'identity'] as const) {
    if (figures[c].length === 0) continue;
    means[`${c}_snr_db`] = snr(c);
    if (hasAtypical) means[`${c}_atypical_snr_db`] = atyp(c);
  }
  return { denoiser, kept: figures[denoiser][0]!, means };
}

function setZero(layer: tf.layers.Layer): void {
  const zeros = layer.getWeights().map((w) => tf.zerosLike(w));
  layer.setWeights(zeros);
  tf.dispose(zeros);
}
