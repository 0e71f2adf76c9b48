import { InputError } from '../core/errors';
import { parseManifestJson, type Manifest } from '../core/manifest';
import { isModelKind, MODEL_KINDS, type ModelKind } from '../core/model-kind';
import type { ObjectLocation, ObjectStore } from '../storage/object-store';
import { BACKEND_CHOICES, type BackendChoice } from './backend';
import { loadTrainingInput } from './streaming/load-training-input';
import { checkTrainConfig, type TrainConfigFile } from './train-config';
import { timestampVersion, trainModel } from './train';
import { evaluateGate, type GateResult, type ValidationGate } from './validation-gate';
import {
  artifactFile, describeLocation, LATEST_FILE, MANIFEST_FILE, modelLocation, readLatest as readPointer, writeLatest,
} from '../storage/artifact/layout';
import { GATE_FAILED_EXIT_CODE, GATE_FILE, JOB_ENVIRONMENT } from './job-environment';

export { GATE_FILE, JOB_ENVIRONMENT };
import { writeArtifactToStore } from './write-artifact-to-store';

/** Settings of one training job (AWS Batch container or local run). */
export interface JobSettings {
  /** RESIDUAL_DATA_URI / --data: `s3://bucket/key.csv` or a local path. */
  dataUri: string;
  /** RESIDUAL_MODEL_KIND / --model. */
  kind: ModelKind;
  /** RESIDUAL_MODEL_NAME / --name: the `<model-name>` of the S3 layout. */
  name: string;
  /** RESIDUAL_MODELS_URI / --models: `s3://<models bucket>` (optionally with a prefix) or a local folder. */
  modelsUri: string;
  /** RESIDUAL_MODEL_VERSION / --version; default a UTC timestamp. */
  version?: string;
  /** RESIDUAL_BACKEND / --backend; default auto. */
  backend: BackendChoice;
  /** RESIDUAL_TRAIN_CONFIG / --config: the same JSON `residual train --config` reads, inline. */
  config: TrainConfigFile;
  /** RESIDUAL_GATE_MAX_LOSS, RESIDUAL_GATE_MAX_ANOMALY_RATE, RESIDUAL_GATE_MAX_REGRESSION. */
  gate: ValidationGate;
  /**
   * RESIDUAL_PUBLISH / --publish (default true): move LATEST when the gate passes. The training state
   * machine sets false and publishes itself after reading gate.json.
   */
  publish: boolean;
}

export interface JobResult {
  manifest: Manifest;
  /** Where the version was written: models/<name>/<version>/ under the models location. */
  versionPrefix: ObjectLocation;
  promoted: boolean;
  gate: GateResult;
}

export interface JobDependencies {
  /** Resolves a URI to a store and location (storage/adapters/store-for-uri in production). */
  storeForUri(uri: string): { store: ObjectStore; location: ObjectLocation };
  log?: (line: string) => void;
}

const FLAG_TO_ENV = JOB_ENVIRONMENT;

/** Reads job settings from `--flag value` arguments, falling back to the environment (flags win). */
export function readJobSettings(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): JobSettings {
  const values: Record<string, string> = {};
  for (const [flag, name] of Object.entries(FLAG_TO_ENV)) {
    const v = env[name];
    if (v !== undefined && v !== '') values[flag] = v;
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m || !(m[1]! in FLAG_TO_ENV))
      throw new InputError(
        `training job: unknown argument '${arg}' (known: ${Object.keys(FLAG_TO_ENV)
          .map((f) => `--${f}`)
          .join(', ')})`,
      );
    const v = m[2] ?? argv[++i];
    if (v === undefined) throw new InputError(`training job: flag '--${m[1]}' needs a value`);
    values[m[1]!] = v;
  }
  const need = (flag: string): string => {
    const v = values[flag];
    if (v === undefined) throw new InputError(`training job: set --${flag} or environment variable ${FLAG_TO_ENV[flag]}`);
    return v;
  };
  const kind = need('model');
  if (!isModelKind(kind)) throw new InputError(`training job: model kind must be one of ${MODEL_KINDS.join(', ')}, got '${kind}'`);
  const backend = values['backend'] ?? 'auto';
  if (!(BACKEND_CHOICES as readonly string[]).includes(backend))
    throw new InputError(`training job: backend must be one of ${BACKEND_CHOICES.join(', ')}, got '${backend}'`);
  const name = need('name');
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name))
    throw new InputError(`training job: model name must be lower-case letters, digits, '.', '_' or '-', got '${name}'`);
  let config: TrainConfigFile = {};
  if (values['config'] !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(values['config']);
    } catch (cause) {
      throw new InputError(`training job: ${FLAG_TO_ENV['config']} is not valid JSON`, { cause });
    }
    config = checkTrainConfig(parsed, FLAG_TO_ENV['config']!);
  }
  const num = (flag: string): number | undefined => {
    const v = values[flag];
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new InputError(`training job: ${FLAG_TO_ENV[flag]} must be a non-negative number, got '${v}'`);
    return n;
  };
  return {
    dataUri: need('data'),
    kind,
    name,
    modelsUri: need('models'),
    version: values['version'],
    backend: backend as BackendChoice,
    config,
    gate: {
      maxValidationLoss: num('gate-max-loss'),
      maxAnomalyRate: num('gate-max-anomaly-rate'),
      maxRegression: num('gate-max-regression'),
    },
    publish: parsePublish(values['publish']),
  };
}

function parsePublish(value: string | undefined): boolean {
  if (value === undefined || value === 'true') return true;
  if (value === 'false') return false;
  throw new InputError(`training job: ${FLAG_TO_ENV['publish']} must be 'true' or 'false', got '${value}'`);
}

/**
 * Runs one training job: reads the data, trains, writes `models/<name>/<version>/{model.onnx,manifest.json}`
 * under the models location, and moves `models/<name>/LATEST` to the new version only when the
 * validation gate passes (a failed gate leaves the version written but not live).
 */
export async function runTrainingJob(settings: JobSettings, deps: JobDependencies): Promise<JobResult> {
  const log = deps.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const source = deps.storeForUri(settings.dataUri);
  // a table of STREAMING_MIN_BYTES or more (rows layout) is streamed: bounded memory, shards in the temp directory
  const data = await loadTrainingInput(source.store, source.location, {
    columns: settings.config.columns,
    exclude: settings.config.exclude,
    timeColumn: settings.config.timeColumn,
  }, { windowed: settings.config.window !== undefined, validationSplit: settings.config.validationSplit, seed: settings.config.seed });
  const rows = data.streamed?.rows ?? data.values.length / data.features.length;
  log(`job: read ${rows} rows × ${data.features.length} features from ${settings.dataUri}${data.streamed ? ' (streamed)' : ''}`);
  const c = settings.config;
  const result = await trainModel({
    kind: settings.kind, data, name: settings.name, version: settings.version ?? c.version ?? timestampVersion(new Date()),
    window: c.window !== undefined ? { size: c.window, stride: c.stride ?? 1 } : null,
    epochs: c.epochs, batchSize: c.batchSize, seed: c.seed, learningRate: c.learningRate, patience: c.patience,
    validationSplit: c.validationSplit, threshold: c.threshold, scaler: c.scaler, error: c.error,
    modelConfig: c.model, backend: settings.backend, progress: 'lines', timeColumn: c.timeColumn,
  });
  data.streamed?.dispose();
  try {
    const models = deps.storeForUri(settings.modelsUri);
    const model = modelLocation(models.location, settings.name);
    const versionPrefix = artifactFile(model, result.manifest.version);
    await writeArtifactToStore(result, models.store, versionPrefix);
    log(`job: wrote ${describeLocation(versionPrefix)}/`);
    const latestKey = artifactFile(model, LATEST_FILE);
    const previous = await readLatest(models.store, model);
    const gate = evaluateGate(result.manifest, previous, settings.gate);
    const verdict = {
      version: result.manifest.version,
      passed: gate.passed,
      reasons: gate.reasons,
      gate: settings.gate,
      previous: previous?.version ?? null,
    };
    await models.store.put(artifactFile(versionPrefix, GATE_FILE), JSON.stringify(verdict, null, 2) + '\n', {
      contentType: 'application/json',
    });
    if (gate.passed && !settings.publish) {
      log(`job: validation gate passed; ${LATEST_FILE} left to the caller (publish=false)`);
    } else if (gate.passed) {
      await writeLatest(models.store, latestKey, result.manifest.version);
      log(`job: ${LATEST_FILE} -> ${result.manifest.version}`);
    } else {
      log(`job: validation gate failed, ${LATEST_FILE} unchanged${previous ? ` (${previous.version})` : ''}: ${gate.reasons.join('; ')}`);
    }
    return { manifest: result.manifest, versionPrefix, promoted: gate.passed && settings.publish, gate };
  } finally {
    result.zoo.dispose();
  }
}

/**
 * The manifest LATEST points at, or null when there is no LATEST (or it, or the manifest it names, cannot be
 * read or is invalid): the gate then has nothing to compare with.
 */
async function readLatest(store: ObjectStore, model: ObjectLocation): Promise<Manifest | null> {
  let version: string;
  try {
    version = await readPointer(store, artifactFile(model, LATEST_FILE));
  } catch {
    return null;
  }
  try {
    const manifest = artifactFile(artifactFile(model, version), MANIFEST_FILE);
    return parseManifestJson(new TextDecoder().decode(await store.getBytes(manifest)));
  } catch {
    return null;
  }
}

/** Container entry point: `node training-job.js [--flags]` or environment variables; exit code 0/1/2. */
export async function jobMain(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { storeForUri } = require('../storage/adapters/store-for-uri') as typeof import('../storage/adapters/store-for-uri');
  const settings = readJobSettings(argv, env);
  const result = await runTrainingJob(settings, { storeForUri: (uri) => storeForUri(uri, env) });
  // Exit 2 marks "trained, but the validation gate failed" so that an orchestrator can tell it from a
  // crash (1); a passed gate is a success whether or not this run moved LATEST (publish=false).
  return result.gate.passed ? 0 : GATE_FAILED_EXIT_CODE;
}

if (require.main === module) {
  jobMain(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`training job failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
