import { readFile } from 'fs/promises';
import { InputError } from '../core/errors';
import type { TrainOptions } from './train';

/** The keys a `--config file.json` may set (flags given on the command line win). */
export type TrainConfigFile = Partial<
  Pick<
    TrainOptions,
    | 'name'
    | 'version'
    | 'epochs'
    | 'batchSize'
    | 'seed'
    | 'learningRate'
    | 'patience'
    | 'validationSplit'
    | 'threshold'
    | 'scaler'
    | 'error'
    | 'timeColumn'
  >
> & {
  /** Kind-specific hyper-parameters, e.g. { "hidden": 64, "latent": 8 }. */
  model?: Record<string, unknown>;
  columns?: string[];
  exclude?: string[];
  window?: number;
  stride?: number;
};

const KEYS: Record<keyof TrainConfigFile, 'string' | 'number' | 'object' | 'string[]'> = {
  name: 'string', version: 'string', epochs: 'number', batchSize: 'number', seed: 'number', learningRate: 'number',
  patience: 'number', validationSplit: 'number', threshold: 'string', scaler: 'string', error: 'string',
  model: 'object', columns: 'string[]', exclude: 'string[]', window: 'number', stride: 'number',
  timeColumn: 'string',
};

/** Reads and checks a training config file; unknown keys and wrong types are errors naming the key. */
export async function readTrainConfig(path: string): Promise<TrainConfigFile> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new InputError(`--config '${path}' could not be read as JSON: ${(cause as Error).message}`, { cause });
  }
  return checkTrainConfig(value, `--config '${path}'`);
}

export function checkTrainConfig(value: unknown, where: string): TrainConfigFile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${where} must hold a JSON object`);
  for (const [key, v] of Object.entries(value)) {
    const want = KEYS[key as keyof TrainConfigFile];
    if (!want) throw new InputError(`${where}: unknown key '${key}' (known: ${Object.keys(KEYS).join(', ')})`);
    const ok = want === 'string[]' ? Array.isArray(v) && v.every((s) => typeof s === 'string')
      : want === 'object' ? typeof v === 'object' && v !== null && !Array.isArray(v)
        : typeof v === want;
    if (!ok) throw new InputError(`${where}: key '${key}' must be a ${want}, got ${JSON.stringify(v)}`);
  }
  return value as TrainConfigFile;
}
