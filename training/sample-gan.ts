import type { Manifest } from '../core/manifest';
import { Rng } from '../core/rng';
import { modelLayout, synthesisSpecSchema, type SynthesisSpec } from '../core/synthesis/column-spec';
import { decodeRows } from '../core/synthesis/column-transform';
import { InputError, ManifestError } from '../core/errors';
import { CondSampler } from './gan/cond-sampler';
import type { GenerateFn } from '../scoring/adapters/onnx-generator';

/** `col=value` pins a discrete column to one of its seen values (the gan's conditional vector). */
export interface Condition {
  column: string;
  value: number;
}

/** The manifest's synthesis section, validated (ManifestError when absent or malformed). */
export function synthesisOf(manifest: Manifest): SynthesisSpec & { noise_dim?: number; cond_dim?: number; model_dim?: number } {
  const s = manifest.synthesis;
  const r = synthesisSpecSchema.safeParse(s);
  if (!s || !r.success) throw new ManifestError(`manifest of '${manifest.name}' has no valid synthesis section`, []);
  if (r.data.columns.length !== manifest.features.length) {
    throw new ManifestError(`synthesis section has ${r.data.columns.length} columns for ${manifest.features.length} features`, []);
  }
  return { ...r.data, ...(s as { noise_dim?: number; cond_dim?: number; model_dim?: number }) };
}

/** Parses `col=value` words against the model's discrete columns; anything else is an InputError naming the column. */
export function parseConditions(words: readonly string[], spec: SynthesisSpec): Map<number, number> {
  const fixed = new Map<number, number>();
  if (words.length > 1) {
    throw new InputError(`--condition takes one column=value (the gan conditions on one discrete column), got ${words.length}`);
  }
  for (const w of words) {
    const eq = w.indexOf('=');
    const name = eq > 0 ? w.slice(0, eq) : '';
    const j = spec.columns.findIndex((c) => c.name === name);
    if (j < 0) {
      throw new InputError(`--condition must be column=value with a model column, got ${eq > 0 ? `column '${name}'` : 'no column'}`);
    }
    const c = spec.columns[j]!;
    if (c.kind !== 'discrete') {
      throw new InputError(`--condition column '${name}' is continuous; only discrete columns can be conditioned on`);
    }
    const k = c.values.indexOf(Number(w.slice(eq + 1)));
    if (k < 0) throw new InputError(`--condition ${name}: the value is not one seen in training (${c.values.length} values were)`);
    fixed.set(j, k);
  }
  return fixed;
}

const CHUNK = 16384;

/**
 * `rows` synthetic rows [rows × F] in raw units from a gan: z ~ N(0, I) and cond (drawn ∝ the category
 * counts, or pinned by the condition) from a seeded Rng, the generator run by `generate` (onnxruntime on
 * generator.onnx), discrete logits drawn by Gumbel-max, continuous values through the inverse quantile map.
 * A windows gan gives `rows` windows of T rows each, concatenated ([rows·T × F], as a windowed vae).
 */
export async function generateGanRows(
  manifest: Manifest,
  generate: GenerateFn,
  rows: number,
  seed: number,
  fixed: ReadonlyMap<number, number>,
): Promise<Float64Array> {
  const spec = synthesisOf(manifest);
  const layout = modelLayout(spec);
  const noise = spec.noise_dim;
  // a windows gan emits T·F values per sample: T rows of the columns' layout, no conditional vector
  const T = manifest.window?.size ?? 1;
  const condDim = T > 1 ? 0 : layout.condDim;
  if (!noise || spec.model_dim !== layout.dim * T || spec.cond_dim !== condDim) {
    throw new ManifestError(`synthesis section of '${manifest.name}' does not match its columns`, []);
  }
  const sampler = new CondSampler(spec, new Float64Array(0), []);
  const rng = new Rng(seed);
  const f = spec.columns.length;
  const out = new Float64Array(rows * T * f);
  const chunk = Math.max(1, Math.floor(CHUNK / T));
  for (let at = 0; at < rows; at += chunk) {
    const n = Math.min(chunk, rows - at);
    const z = new Float32Array(n * noise);
    for (let i = 0; i < z.length; i++) z[i] = rng.normal();
    const cond = sampler.generate(n, rng, fixed);
    const model = await generate(z, cond, n);
    out.set(decodeRows(spec, model, n * T, rng, fixed), at * T * f);
  }
  return out;
}
