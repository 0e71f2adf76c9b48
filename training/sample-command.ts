import { gzipSync } from 'node:zlib';
import { InputError } from '../core/errors';
import { CONTENT_TYPES, formatFromKey, type TableFormat } from '../core/io';
import { numericCsv, numericJsonl } from '../core/io/numeric-table-text';
import { numericParquet } from '../core/io/numeric-table-parquet';
import { parseManifestJson } from '../core/manifest';
import type { ObjectLocation, ObjectStore } from '../storage/object-store';
import { artifactFile, DECODER_FILE, describeLocation, MANIFEST_FILE, onnxFileName } from '../storage/artifact/layout';
import type { GenerateFn } from '../scoring/adapters/onnx-generator';
import { snapRows } from '../core/synthesis/column-transform';
import type { SynthesisSpec } from '../core/synthesis/column-spec';
import { generateSamples, type DecodeFn } from './sample';
import { generateGanRows, parseConditions, synthesisOf } from './sample-gan';

export interface SampleDependencies {
  storeForUri(uri: string): { store: ObjectStore; location: ObjectLocation };
  /** Opens decoder.onnx (an onnxruntime session through scoring/adapters) as a decode function. */
  createDecoder(onnx: Uint8Array): Promise<DecodeFn>;
  /** Opens a gan's generator.onnx (onnxruntime, scoring/adapters/onnx-generator.ts). */
  createGenerator?(onnx: Uint8Array, file: string, sizes: { noise: number; cond: number; dim: number }): Promise<GenerateFn>;
}

export interface SampleOptions {
  model: string;
  rows: number;
  output: string;
  seed: number;
  /** `column=value` (gan only): rows drawn with that discrete column pinned. */
  conditions?: readonly string[];
}

export interface SampleResult {
  output: string;
  rows: number;
  model: { name: string; version: string };
  /** A windows model: the windows written (rows = windows · window size, window k is rows k·T … k·T + T − 1). */
  windows?: number;
}

/**
 * `residual sample` (the CLI parses its flags, cli/commands/sample.ts): reads manifest.json and decoder.onnx from
 * the model artifact, draws `rows` seeded latent points, decodes them and writes them (columns = the model's
 * features) to `output`, in the format its extension names (.csv, .csv.gz, .jsonl, .jsonl.gz, .parquet; anything
 * else is refused before any work). The CLI wires `createDecoder` to an onnxruntime adapter.
 */
export async function sampleToStore(options: SampleOptions, deps: SampleDependencies): Promise<SampleResult> {
  const output = outputFormat(options.output);
  const model = deps.storeForUri(options.model);
  const at = (name: string): ObjectLocation => artifactFile(model.location, name);
  const manifest = parseManifestJson(new TextDecoder().decode(await model.store.getBytes(at(MANIFEST_FILE))));
  if (manifest.kind !== 'vae' && manifest.kind !== 'gan') {
    throw new InputError(`model '${manifest.name}' is a '${manifest.kind}'; only 'vae' and 'gan' models generate rows`);
  }
  if (!Number.isInteger(options.rows) || options.rows < 1) throw new InputError(`--rows must be a positive integer, got ${options.rows}`);
  const conditions = options.conditions ?? [];
  let values: Float32Array | Float64Array;
  let spec: SynthesisSpec | null = manifest.synthesis ? synthesisOf(manifest) : null;
  if (manifest.kind === 'gan') {
    spec = synthesisOf(manifest);
    if (manifest.window && conditions.length) {
      throw new InputError(`--condition needs a rows gan; '${manifest.name}' generates windows (no conditional vector)`);
    }
    const fixed = parseConditions(conditions, spec);
    if (!deps.createGenerator) throw new InputError('this sampler cannot open gan generators');
    const file = onnxFileName(manifest, describeLocation(at(MANIFEST_FILE)));
    const s = spec as ReturnType<typeof synthesisOf>;
    const generate = await deps.createGenerator(await model.store.getBytes(at(file)), file, {
      noise: s.noise_dim ?? 0, cond: s.cond_dim ?? 0, dim: s.model_dim ?? 0,
    });
    values = await generateGanRows(manifest, generate, options.rows, options.seed, fixed);
  } else {
    if (conditions.length) throw new InputError(`--condition needs a 'gan' model; '${manifest.name}' is a 'vae'`);
    const decode = await deps.createDecoder(await model.store.getBytes(at(DECODER_FILE)));
    const raw = (await generateSamples(manifest, decode, options.rows, options.seed)).values;
    // a vae trained before the synthesis section existed keeps its float output
    values = spec ? snapRows(spec, raw) : raw;
  }
  const features = manifest.features;
  const bytes = encodeSamples(output.format, output.gzip, features, values, spec);
  const out = deps.storeForUri(options.output);
  await out.store.put(out.location, bytes, { contentType: output.gzip ? 'application/gzip' : CONTENT_TYPES[output.format] });
  const rows = values.length / features.length;
  return {
    output: options.output, rows, model: { name: manifest.name, version: manifest.version },
    ...(manifest.window ? { windows: rows / manifest.window.size } : {}),
  };
}

function outputFormat(uri: string): { format: TableFormat; gzip: boolean } {
  try {
    return formatFromKey(uri);
  } catch (cause) {
    throw new InputError(`--output '${uri}' has no supported extension: use .csv, .csv.gz, .jsonl, .jsonl.gz or .parquet`, { cause });
  }
}

/**
 * Row-major samples as one whole object in `format`, gzip-compressed if asked: core/io's numeric-matrix encoders
 * (numeric-table-text.ts, numeric-table-parquet.ts), which write the numbers at float32 precision (what the
 * generator computes) straight into bytes. With a synthesis spec, integer and discrete columns are parquet INT64
 * (their values are integers: written as integers in every format), the rest DOUBLE.
 */
export function encodeSamples(
  format: TableFormat,
  gzip: boolean,
  features: readonly string[],
  values: Float32Array | Float64Array,
  spec: SynthesisSpec | null = null,
): Uint8Array {
  const integer = features.map((_, j) => {
    const c = spec?.columns[j];
    return c !== undefined && (c.kind === 'discrete' || c.integer);
  });
  const bytes = format === 'csv' ? numericCsv(features, values)
    : format === 'jsonl' ? numericJsonl(features, values)
      : numericParquet(features, values, { integer });
  return gzip ? gzipSync(bytes) : bytes;
}
