import { gzipSync } from 'node:zlib';
import { InputError } from '../core/errors';
import { CONTENT_TYPES, createTableWriter, formatFromKey, type OutputRow, type TableFormat } from '../core/io';
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

const ENCODE_CHUNK = 8192;

function outputFormat(uri: string): { format: TableFormat; gzip: boolean } {
  try {
    return formatFromKey(uri);
  } catch (cause) {
    throw new InputError(`--output '${uri}' has no supported extension: use .csv, .csv.gz, .jsonl, .jsonl.gz or .parquet`, { cause });
  }
}

/**
 * Row-major samples as one whole object in `format` (core/io's writers), gzip-compressed if asked. With a
 * synthesis spec, integer and discrete columns are written as integers (parquet INT64), the rest as DOUBLE.
 */
export function encodeSamples(
  format: TableFormat,
  gzip: boolean,
  features: readonly string[],
  values: Float32Array | Float64Array,
  spec: SynthesisSpec | null = null,
): Uint8Array {
  const f = features.length;
  const integer = features.map((_, j) => {
    const c = spec?.columns[j];
    return c !== undefined && (c.kind === 'discrete' || c.integer);
  });
  const writer = createTableWriter(format, features, {
    float32: values instanceof Float32Array,
    parquetTypes: features.map(() => 'DOUBLE' as const),
    ...(integer.some(Boolean)
      ? {
        parquetSourceSchema: features.map((name, j) =>
          (integer[j] ? { name, type: 'INT64' as const, repetition_type: 'OPTIONAL' as const } : undefined)),
      }
      : {}),
  });
  const parts: Uint8Array[] = [];
  const add = (p: string | Uint8Array | undefined): void => {
    if (p !== undefined) parts.push(typeof p === 'string' ? Buffer.from(p, 'utf8') : p);
  };
  add(writer.header());
  // in chunks of rows, so that the row objects of one chunk are garbage before the next is built
  const n = values.length / f;
  for (let at = 0; at < n; at += ENCODE_CHUNK) {
    const rows: OutputRow[] = [];
    for (let r = at; r < Math.min(n, at + ENCODE_CHUNK); r++) rows.push({ values: Array.from(values.subarray(r * f, r * f + f)) });
    add(writer.rows(rows));
  }
  add(writer.end());
  const bytes = Buffer.concat(parts);
  return gzip ? gzipSync(bytes) : bytes;
}
