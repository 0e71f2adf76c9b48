import type * as tf from '@tensorflow/tfjs';
import type { Manifest, TensorSpec } from '../core/manifest';
import { MANIFEST_METADATA_KEY } from '../core/manifest';
import { DECODER_FILE, DEFAULT_ONNX_FILE } from '../storage/artifact/layout';
import { exportToOnnx, HEAD_INPUTS, HEAD_OUTPUTS, ONNX_OPSET } from './export';
import type { HeadHints, SampleShape } from './models/types';

export { ONNX_OPSET };

export interface HeadSpec extends HeadHints {
  shape: SampleShape;
  offset: number[];
  scale: number[];
  error: 'mse' | 'mae';
}

/** The manifest's `onnx` section for a model exported with the scoring head. */
export function onnxSection(head: HeadSpec, latentDim: number | null): Manifest['onnx'] {
  const f = head.shape.features;
  const data: (number | string)[] = head.shape.layout === 'windows' ? ['N', head.shape.steps!, f] : ['N', f];
  const spec = (name: string, shape: (number | string)[]): TensorSpec => ({ name, dtype: 'float32', shape });
  const outputs = [
    spec(HEAD_OUTPUTS.reconstruction, data),
    spec(HEAD_OUTPUTS.score, ['N']),
    spec(HEAD_OUTPUTS.featureError, ['N', f]),
  ];
  if (head.latentLayer && latentDim !== null) outputs.push(spec(HEAD_OUTPUTS.latent, ['N', latentDim]));
  return {
    file: DEFAULT_ONNX_FILE,
    opset: ONNX_OPSET,
    inputs: [spec(HEAD_INPUTS.x, data), spec(HEAD_INPUTS.mask, data)],
    outputs,
  };
}

/** Exports the trained model wrapped in the scoring head, with the manifest in the ONNX metadata. */
export function exportModel(model: tf.LayersModel, head: HeadSpec, manifest: Manifest): Uint8Array {
  return exportToOnnx(model, {
    head: {
      layout: head.shape.layout,
      offset: head.offset,
      scale: head.scale,
      error: head.error,
      ...(head.maskInput ? { maskInput: true } : {}),
      ...(head.iterations !== undefined ? { iterations: head.iterations } : {}),
      ...(head.latentLayer !== undefined ? { latentLayer: head.latentLayer } : {}),
    },
    metadata: { [MANIFEST_METADATA_KEY]: JSON.stringify(manifest) },
    producerVersion: manifest.producer.version,
  });
}

/** File name of a VAE's decoder beside model.onnx (storage/artifact/layout.ts). */
export { DECODER_FILE };

/** Exports a VAE decoder as a plain graph (z → scaled samples), with the manifest in its metadata. */
export function exportDecoder(decoder: tf.LayersModel, manifest: Manifest): Uint8Array {
  return exportToOnnx(decoder, {
    metadata: { [MANIFEST_METADATA_KEY]: JSON.stringify(manifest), 'residual.role': 'vae-decoder' },
    producerVersion: manifest.producer.version,
  });
}
