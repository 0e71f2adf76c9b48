import { createHash } from 'crypto';

/**
 * `sha256:<hex>` of the training rows: the feature names (in order, NUL-separated), then the row-major
 * float32 values (little-endian; missing cells as NaN). The same rows in the same order give the same
 * hash on every machine.
 */
export function hashTrainingRows(features: readonly string[], values: Float32Array): string {
  const h = createHash('sha256');
  h.update(features.join('\u0000'));
  h.update('\u0000');
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (isLittleEndian()) {
    h.update(bytes);
  } else {
    const copy = new DataView(new ArrayBuffer(values.byteLength));
    for (let i = 0; i < values.length; i++) copy.setFloat32(i * 4, values[i], true);
    h.update(new Uint8Array(copy.buffer));
  }
  return `sha256:${h.digest('hex')}`;
}

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}
