import { decodeModel } from './onnx-proto';

/** Decodes an ONNX model's metadata_props into a plain record (later duplicates win). */
export function readOnnxMetadata(bytes: Uint8Array): Record<string, string> {
  const model = decodeModel(bytes) as { metadata_props?: { key?: string; value?: string }[] };
  const out: Record<string, string> = {};
  for (const entry of model.metadata_props ?? []) out[entry.key ?? ''] = entry.value ?? '';
  return out;
}
