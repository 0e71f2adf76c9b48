import type { Manifest } from '../core/manifest';
import { createOnnxScorer } from '../scoring/adapters/onnx-scorer';
import { storeForUri } from '../storage/adapters/store-for-uri';
import { loadModelArtifact } from '../storage/artifact/load-model-artifact';
import { Model } from './model';

export interface LoadModelOptions {
  /** Threads for one onnxruntime run (the CLI's `--threads`); default 1. */
  threads?: number;
}

/**
 * Opens a model artifact — a folder or `s3://bucket/prefix` holding `model.onnx` + `manifest.json`, or a
 * prefix holding `LATEST` — as `residual score --model` does (manifest validated on load).
 */
export async function loadModel(dirOrUri: string, options: LoadModelOptions = {}): Promise<Model> {
  const { store, location } = storeForUri(dirOrUri);
  const open = (onnx: Uint8Array, manifest: Manifest) => createOnnxScorer(onnx, manifest, { threads: options.threads });
  const loaded = await loadModelArtifact(store, location, open);
  return new Model(loaded);
}
