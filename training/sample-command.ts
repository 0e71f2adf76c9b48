import { gzipSync } from 'node:zlib';
import { InputError } from '../core/errors';
import { CONTENT_TYPES, createTableWriter, formatFromKey, type OutputRow, type TableFormat } from '../core/io';
import { parseManifestJson } from '../core/manifest';
import { UsageError } from '../core/usage-error';
import type { ObjectLocation, ObjectStore } from '../storage/object-store';
import { artifactFile, DECODER_FILE, MANIFEST_FILE } from '../storage/artifact/layout';
import { generateSamples, type DecodeFn } from './sample';

export const SAMPLE_USAGE = `residual sample --model <dir|s3://...> --rows N --output <file|s3://...> [--seed N]
  synthetic rows from a 'vae' model (its ${DECODER_FILE}), in raw units, with the model's feature columns;
  the output's extension picks the format: .csv, .csv.gz, .jsonl, .jsonl.gz or .parquet`;

export interface SampleDependencies {
  storeForUri(uri: string): { store: ObjectStore; location: ObjectLocation };
  /** Opens decoder.onnx (an onnxruntime session through scoring/adapters) as a decode function. */
  createDecoder(onnx: Uint8Array): Promise<DecodeFn>;
}

/**
 * `residual sample`: reads manifest.json and decoder.onnx from the model artifact, draws `--rows` seeded
 * latent points, decodes them and writes them (columns = the model's features) to `--output`, in the format
 * its extension names (.csv, .csv.gz, .jsonl, .jsonl.gz, .parquet; anything else is refused before any work).
 * Returns the exit code. The CLI wires `createDecoder` to an onnxruntime adapter.
 */
export async function runSampleCommand(argv: readonly string[], deps: SampleDependencies): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write(`${SAMPLE_USAGE}\n`);
    return 0;
  }
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(model|rows|output|seed)(?:=(.*))?$/.exec(argv[i]!);
    if (!m) throw new UsageError(`unknown argument '${argv[i]}' (known: --model, --rows, --output, --seed)`);
    const v = m[2] ?? argv[++i];
    if (v === undefined) throw new UsageError(`flag '--${m[1]}' needs a value`);
    flags[m[1]!] = v;
  }
  for (const f of ['model', 'rows', 'output']) if (flags[f] === undefined) throw new UsageError(`flag '--${f}' is required`);
  const rows = Number(flags['rows']);
  if (!Number.isSafeInteger(rows) || rows < 1) throw new UsageError(`--rows must be a positive integer, got '${flags['rows']}'`);
  const seed = flags['seed'] === undefined ? 0 : Number(flags['seed']);
  if (!Number.isSafeInteger(seed) || flags['seed']?.trim() === '') {
    throw new UsageError(`--seed must be an integer, got '${flags['seed']}'`);
  }
  const output = outputFormat(flags['output']!);

  const model = deps.storeForUri(flags['model']!);
  const at = (name: string): ObjectLocation => artifactFile(model.location, name);
  const manifest = parseManifestJson(new TextDecoder().decode(await model.store.getBytes(at(MANIFEST_FILE))));
  if (manifest.kind !== 'vae') throw new InputError(`model '${manifest.name}' is a '${manifest.kind}'; only 'vae' models generate rows`);
  const decode = await deps.createDecoder(await model.store.getBytes(at(DECODER_FILE)));
  const { features, values } = await generateSamples(manifest, decode, rows, seed);
  const bytes = encodeSamples(output.format, output.gzip, features, values);
  const out = deps.storeForUri(flags['output']!);
  await out.store.put(out.location, bytes, { contentType: output.gzip ? 'application/gzip' : CONTENT_TYPES[output.format] });
  const count = values.length / features.length;
  process.stderr.write(`sampled ${count} rows from '${manifest.name}' version ${manifest.version} to ${flags['output']}\n`);
  return 0;
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
