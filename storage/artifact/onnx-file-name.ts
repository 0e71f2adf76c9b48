import type { Manifest } from '../../core/manifest';
import { ModelArtifactError } from '../errors';

/**
 * The manifest's `onnx.file`, checked to be a plain file name inside the artifact: no separators, no
 * `.`/`..`, no leading dot, no control characters. `../secret.onnx` or `/etc/x` are refused.
 */
export function onnxFileName(manifest: Manifest, manifestFile: string): string {
  const name = manifest.onnx.file;
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(name) || name.length > 255) {
    throw new ModelArtifactError(`${manifestFile}: onnx.file must be a plain file name inside the artifact (no '/', '\\\\' or '..')`);
  }
  return name;
}
