import type { Manifest } from '../core/manifest';

/** One scoring call on a batch: the model artifact's ONNX contract (see core/manifest.ts). */
export interface BatchScorer {
  readonly inputShape: 'rows' | 'windows';
  /** Runs one batch; only the outputs named in `fetch` are computed and returned (default: all the model has). */
  run(x: Float32Array, mask: Float32Array, batch: number, fetch?: readonly ScorerOutput[]): Promise<ScorerOutputs>;
  release(): Promise<void>;
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
