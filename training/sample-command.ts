import { gzipSync } from 'node:zlib';
import { InputError } from '../core/errors';
import { CONTENT_TYPES, createTableWriter, formatFromKey, type OutputRow, type TableFormat } from '../core/io';
import { parseManifestJson } from '../core/manifest';
import type { ObjectLocation, ObjectStore } from '../storage/object-store';
import { artifactFile, DECODER_FILE, MANIFEST_FILE } from '../storage/artifact/layout';
import { generateSamples, type DecodeFn } from './sample';

export interface SampleDependencies {
  storeForUri(uri: string): { store: ObjectStore; location: ObjectLocation };
  /** Opens decoder.onnx (an onnxruntime session through scoring/adapters) as a decode function. */
  createDecoder(onnx: Uint8Array): Promise<DecodeFn>;
}

export interface SampleOptions {
  model: string;
  rows: number;
  output: string;
  seed: number;
}

export interface SampleResult {
  output: string;
  rows: number;
  model: { name: string; version: string };
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
  if (manifest.kind !== 'vae') throw new InputError(`model '${manifest.name}' is a '${manifest.kind}'; only 'vae' models generate rows`);
  const decode = await deps.createDecoder(await model.store.getBytes(at(DECODER_FILE)));
  const { features, values } = await generateSamples(manifest, decode, options.rows, options.seed);
  const bytes = encodeSamples(output.format, output.gzip, features, values);
  const out = deps.storeForUri(options.output);
  await out.store.put(out.location, bytes, { contentType: output.gzip ? 'application/gzip' : CONTENT_TYPES[output.format] });
  return { output: options.output, rows: values.length / features.length, model: { name: manifest.name, version: manifest.version } };
}

function outputFormat(uri: string): { format: TableFormat; gzip: boolean } {
  try {
    return formatFromKey(uri);
  } catch (cause) {
    throw new InputError(`--output '${uri}' has no supported extension: use .csv, .csv.gz, .jsonl, .jsonl.gz or .parquet`, { cause });
  }
}

/** Row-major float32 samples as one whole object in `format` (core/io's writers), gzip-compressed if asked. */
export function encodeSamples(format: TableFormat, gzip: boolean, features: readonly string[], values: Float32Array): Uint8Array {
  const f = features.length;
  const writer = createTableWriter(format, features, { float32: true, parquetTypes: features.map(() => 'DOUBLE' as const) });
  const rows: OutputRow[] = [];
  for (let r = 0; r < values.length / f; r++) rows.push({ values: Array.from(values.subarray(r * f, r * f + f)) });
  const parts: Uint8Array[] = [];
  for (const p of [writer.header(), writer.rows(rows), writer.end()]) {
    if (p !== undefined) parts.push(typeof p === 'string' ? Buffer.from(p, 'utf8') : p);
  }
  const bytes = Buffer.concat(parts);
  return gzip ? gzipSync(bytes) : bytes;
}
