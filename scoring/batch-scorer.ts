import type { Manifest } from '../core/manifest';

/** One scoring call on a batch: the model artifact's ONNX contract (see core/manifest.ts). */
export interface BatchScorer {
  /** 'segment': x and mask are [1, batch + T − 1, F] consecutive rows, the model scores the batch windows in them */
  readonly inputShape: ScorerInputShape;
  /** Runs one batch; only the outputs named in `fetch` are computed and returned (default: all the model has). */
  run(x: Float32Array, mask: Float32Array, batch: number, fetch?: readonly ScorerOutput[]): Promise<ScorerOutputs>;
  release(): Promise<void>;
}

export type ScorerInputShape = 'rows' | 'windows' | 'segment';

/** What a model's x and mask hold: rows, windows, or a segment of consecutive rows (manifest window_input). */
export function scorerInputShape(manifest: Pick<Manifest, 'layout' | 'window_input'>): ScorerInputShape {
  return manifest.layout === 'windows' && manifest.window_input === 'segment' ? 'segment' : manifest.layout;
}

export type ScorerOutput = 'reconstruction' | 'score' | 'featureError' | 'latent' | 'reconstructionStd';

export interface ScorerOutputs {
  reconstruction?: Float32Array;
  score?: Float32Array;
  featureError?: Float32Array;
  latent?: Float32Array;
  /** the sd of each reconstructed cell, raw units (ONNX `reconstruction_std`; only models that give one: auto, task impute) */
  reconstructionStd?: Float32Array;
}

/** A model ready to score: its manifest and an open scorer. */
export interface LoadedModel {
  manifest: Manifest;
  scorer: BatchScorer;
}

export type ScorerFactory = (onnx: Uint8Array, manifest: Manifest) => Promise<BatchScorer>;
