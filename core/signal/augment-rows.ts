import { Rng } from '../rng';
import { corruptLead, type AugmentSpec } from './ecg-noise';

/**
 * Noisy → clean training pairs from a clean recording (rows × leads, NaN = missing): `spec.copies` copies,
 * each lead corrupted with fresh noise (seeds derived from `seed`), laid end to end. Returns the noisy rows
 * and the clean rows repeated, both (copies · rows) × leads; `segments` are the row counts of each copy, so
 * windows can be cut without straddling two copies.
 */
export function augmentRows(
  clean: Float32Array, leads: number, fs: number, spec: AugmentSpec, seed: number,
): { noisy: Float32Array; clean: Float32Array; segments: number[] } {
  const rows = clean.length / leads;
  const noisy = new Float32Array(clean.length * spec.copies);
  const target = new Float32Array(clean.length * spec.copies);
  const lead = new Float64Array(rows);
  const rng = new Rng(seed);
  for (let c = 0; c < spec.copies; c++) {
    target.set(clean, c * clean.length);
    for (let j = 0; j < leads; j++) {
      for (let i = 0; i < rows; i++) lead[i] = clean[i * leads + j]!;
      const x = corruptLead(lead, fs, spec, rng.fork());
      for (let i = 0; i < rows; i++) noisy[c * clean.length + i * leads + j] = x[i]!;
    }
  }
  return { noisy, clean: target, segments: Array.from({ length: spec.copies }, () => rows) };
}
