import { InputError } from '../core/errors';
import { formatFloat32 } from '../core/io';
import { parseManifestJson } from '../core/manifest';
import type { ObjectLocation, ObjectStore } from '../functions/services/ports';
import { DECODER_FILE } from './onnx-export';
import { generateSamples, type DecodeFn } from './sample';
import { joinKey } from '../core/join-key';

export const SAMPLE_USAGE = `residual sample --model <dir|s3://...> --rows N --output <file.csv|s3://...> [--seed N]
  synthetic rows from a 'vae' model (its decoder.onnx), in raw units, as CSV with the model's feature columns`;

export interface SampleDependencies {
  storeForUri(uri: string): { store: ObjectStore; location: ObjectLocation };
  /** Opens decoder.onnx (an onnxruntime session through functions/adapters) as a decode function. */
  createDecoder(onnx: Uint8Array): Promise<DecodeFn>;
}

/**
 * `residual sample`: reads manifest.json and decoder.onnx from the model artifact, draws `--rows` seeded
 * latent points, decodes them and writes a CSV (header = the model's features) to `--output`.
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
    if (!m) throw new InputError(`residual sample: unknown argument '${argv[i]}' (known: --model, --rows, --output, --seed)`);
    const v = m[2] ?? argv[++i];
    if (v === undefined) throw new InputError(`residual sample: flag '--${m[1]}' needs a value`);
    flags[m[1]!] = v;
  }
  for (const f of ['model', 'rows', 'output']) if (flags[f] === undefined) throw new InputError(`residual sample: flag '--${f}' is required`);
  const rows = Number(flags['rows']);
  if (!Number.isInteger(rows) || rows < 1) throw new InputError(`residual sample: --rows must be a positive integer, got '${flags['rows']}'`);
  const seed = flags['seed'] === undefined ? 0 : Number(flags['seed']);
  if (!Number.isInteger(seed)) throw new InputError(`residual sample: --seed must be an integer, got '${flags['seed']}'`);

  const model = deps.storeForUri(flags['model']!);
  const at = (name: string): ObjectLocation => ({ bucket: model.location.bucket, key: joinKey(model.location.key, name) });
  const manifest = parseManifestJson(new TextDecoder().decode(await model.store.getBytes(at('manifest.json'))));
  if (manifest.kind !== 'vae') throw new InputError(`residual sample: model '${manifest.name}' is a '${manifest.kind}'; only 'vae' models generate rows`);
  const decode = await deps.createDecoder(await model.store.getBytes(at(DECODER_FILE)));
  const { features, values } = await generateSamples(manifest, decode, rows, seed);
  const f = features.length;
  const lines = [features.map(csvField).join(',')];
  for (let r = 0; r < values.length / f; r++) {
    const cells: string[] = [];
    for (let j = 0; j < f; j++) cells.push(formatFloat32(values[r * f + j]!));
    lines.push(cells.join(','));
  }
  const out = deps.storeForUri(flags['output']!);
  await out.store.put(out.location, lines.join('\n') + '\n', { contentType: 'text/csv' });
  process.stderr.write(`sampled ${values.length / f} rows from '${manifest.name}' version ${manifest.version} to ${flags['output']}\n`);
  return 0;
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
