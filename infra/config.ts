import { InfraConfigError } from './errors';
import { LOG_RETENTION_DAYS } from './log-retention';

/** Every deployment parameter of the stack. Each is a CDK context key of the same name (`-c key=value` or cdk.json). */
export interface ResidualSettings {
  /** Lambda architecture of the scoring function; selects which onnxruntime Linux binary ships. */
  readonly architecture: 'x86_64' | 'arm64';
  readonly scoringMemoryMb: number;
  readonly scoringTimeoutSeconds: number;
  /** Reserved concurrency of the scoring function; the SQS poller and backfills share it. */
  readonly scoringReservedConcurrency: number;
  readonly scoringBatchSize: number;
  /** Receives before a message moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Days every log group of the stack keeps events (functions, custom-resource handlers, jobs, state machines). */
  readonly logRetentionDays: number;
  /** Comma-separated model names whose LATEST the scoring function loads during init (PRELOAD_MODELS); '' = none. */
  readonly preloadModels: string;
  /**
   * Validation gate the training job evaluates (gate.json) before the state machine moves LATEST:
   * best validation loss in standardised units (1.0 = no better than predicting the mean), the share of
   * validation samples above the calibrated threshold, and the allowed loss regression on the current LATEST.
   */
  readonly gateMaxLoss: number;
  readonly gateMaxAnomalyRate: number;
  readonly gateMaxRegression: number;
  /** Epochs when a training execution gives neither `epochs` nor `config.epochs`. */
  readonly defaultEpochs: number;
  readonly backfillConcurrency: number;
  readonly backfillToleratedFailurePercent: number;
  readonly gpuMaxVcpus: number;
  readonly gpuSpot: boolean;
  readonly cpuMaxVcpus: number;
  readonly resultsRetentionDays: number;
  readonly quarantineRetentionDays: number;
  readonly alarmLambdaErrors: number;
  readonly alarmDlqMessages: number;
  readonly alarmOldestMessageSeconds: number;
  readonly alarmAnomalyRatePercent: number;
  /**
   * E-mail address subscribed to the alarm topic.
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /** Scoring handler entry, relative to the project root (or absolute). */
  readonly scoringEntry: string;
  /** Docker build context of the training image, relative to the project root (or absolute). */
  readonly trainingContext: string;
  /** Dockerfile path inside the training build context. */
  readonly trainingDockerfile: string;
  /**
   * Scheduled retrain (infra/constructs/scheduled-retrain.ts): an EventBridge Scheduler expression
   * (`rate(7 days)`, `cron(0 3 ? * MON *)`); '' = off (the default). With it, retrainModelName, retrainModelKind and
   * retrainDataPrefix are required.
   */
  readonly retrainSchedule: string;
  readonly retrainModelName: string;
  readonly retrainModelKind: string;
  /** raw-bucket prefix whose newest object (key order) is the recent data trained on, e.g. `training/plant/` */
  readonly retrainDataPrefix: string;
  readonly retrainCompute: 'gpu' | 'cpu';
}

export const DEFAULT_SETTINGS: ResidualSettings = {
  architecture: 'x86_64',
  // BENCHMARKS.md "Cost per GB scored on Lambda": 1769 MB (one full vCPU) scored a GB for half what 3008 MB (2 vCPUs) did
  scoringMemoryMb: 1769,
  scoringTimeoutSeconds: 300,
  scoringReservedConcurrency: 20,
  scoringBatchSize: 1,
  maxReceiveCount: 3,
  logLevel: 'INFO',
  logRetentionDays: 30,
  preloadModels: '',
  gateMaxLoss: 1.0,
  gateMaxAnomalyRate: 0.05,
  gateMaxRegression: 0.25,
  defaultEpochs: 50,
  backfillConcurrency: 10,
  backfillToleratedFailurePercent: 5,
  gpuMaxVcpus: 16,
  gpuSpot: false,
  cpuMaxVcpus: 16,
  resultsRetentionDays: 365,
  quarantineRetentionDays: 30,
  alarmLambdaErrors: 1,
  alarmDlqMessages: 1,
  alarmOldestMessageSeconds: 900,
  alarmAnomalyRatePercent: 5,
  scoringEntry: 'functions/handlers/score.ts',
  trainingContext: '.',
  trainingDockerfile: 'training/Dockerfile',
  retrainSchedule: '',
  retrainModelName: '',
  retrainModelKind: '',
  retrainDataPrefix: '',
  retrainCompute: 'gpu',
};

type Lookup = (key: string) => unknown;

function integer(lookup: Lookup, key: keyof ResidualSettings, min: number, max: number): number {
  const raw = lookup(key);
  if (raw === undefined) return DEFAULT_SETTINGS[key] as number;
  const n = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new InfraConfigError(key, raw, `must be an integer from ${min} to ${max}`);
  }
  return n;
}

function decimal(lookup: Lookup, key: keyof ResidualSettings, min: number, max: number): number {
  const raw = lookup(key);
  if (raw === undefined) return DEFAULT_SETTINGS[key] as number;
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max) {
    throw new InfraConfigError(key, raw, `must be a number from ${min} to ${max}`);
  }
  return n;
}

function oneOf<T extends string>(lookup: Lookup, key: keyof ResidualSettings, allowed: readonly T[]): T {
  const raw = lookup(key);
  if (raw === undefined) return DEFAULT_SETTINGS[key] as T;
  if (typeof raw !== 'string' || !(allowed as readonly string[]).includes(raw)) {
    throw new InfraConfigError(key, raw, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return raw as T;
}

function flag(lookup: Lookup, key: keyof ResidualSettings): boolean {
  const raw = lookup(key);
  if (raw === undefined) return DEFAULT_SETTINGS[key] as boolean;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new InfraConfigError(key, raw, "must be true or false");
}

function retention(lookup: Lookup, key: keyof ResidualSettings): number {
  const raw = lookup(key);
  if (raw === undefined) return DEFAULT_SETTINGS[key] as number;
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof n !== 'number' || !LOG_RETENTION_DAYS.includes(n)) {
    throw new InfraConfigError(key, raw, `must be one of ${LOG_RETENTION_DAYS.join(', ')}`);
  }
  return n;
}

function text(lookup: Lookup, key: keyof ResidualSettings, pattern: RegExp, what: string): string {
  const raw = lookup(key);
  if (raw === undefined) return DEFAULT_SETTINGS[key] as string;
  if (typeof raw !== 'string' || !pattern.test(raw)) throw new InfraConfigError(key, raw, `must be ${what}`);
  return raw;
}

/**
 * Reads the settings from CDK context (`app.node.tryGetContext`), applying {@link DEFAULT_SETTINGS}.
 * Values given on the command line arrive as strings and are parsed; every bad value throws an
 * InfraConfigError naming the key and the value.
 */
export function readSettings(lookup: Lookup): ResidualSettings {
  const settings: ResidualSettings = {
    architecture: oneOf(lookup, 'architecture', ['x86_64', 'arm64'] as const),
    scoringMemoryMb: integer(lookup, 'scoringMemoryMb', 128, 10240),
    scoringTimeoutSeconds: integer(lookup, 'scoringTimeoutSeconds', 1, 900),
    scoringReservedConcurrency: integer(lookup, 'scoringReservedConcurrency', 2, 1000),
    scoringBatchSize: integer(lookup, 'scoringBatchSize', 1, 10),
    maxReceiveCount: integer(lookup, 'maxReceiveCount', 1, 1000),
    logLevel: oneOf(lookup, 'logLevel', ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const),
    logRetentionDays: retention(lookup, 'logRetentionDays'),
    preloadModels: text(lookup, 'preloadModels', /^$|^[a-z0-9][a-z0-9._-]*(,[a-z0-9][a-z0-9._-]*)*$/, 'comma-separated model names'),
    gateMaxLoss: decimal(lookup, 'gateMaxLoss', 0, 1e9),
    gateMaxAnomalyRate: decimal(lookup, 'gateMaxAnomalyRate', 0, 1),
    gateMaxRegression: decimal(lookup, 'gateMaxRegression', 0, 1e9),
    defaultEpochs: integer(lookup, 'defaultEpochs', 1, 100000),
    backfillConcurrency: integer(lookup, 'backfillConcurrency', 1, 10000),
    backfillToleratedFailurePercent: decimal(lookup, 'backfillToleratedFailurePercent', 0, 100),
    gpuMaxVcpus: integer(lookup, 'gpuMaxVcpus', 4, 10000),
    gpuSpot: flag(lookup, 'gpuSpot'),
    cpuMaxVcpus: integer(lookup, 'cpuMaxVcpus', 1, 10000),
    resultsRetentionDays: integer(lookup, 'resultsRetentionDays', 2, 36500),
    quarantineRetentionDays: integer(lookup, 'quarantineRetentionDays', 1, 36500),
    alarmLambdaErrors: integer(lookup, 'alarmLambdaErrors', 1, 1e6),
    alarmDlqMessages: integer(lookup, 'alarmDlqMessages', 1, 1e6),
    alarmOldestMessageSeconds: integer(lookup, 'alarmOldestMessageSeconds', 60, 1209600),
    alarmAnomalyRatePercent: decimal(lookup, 'alarmAnomalyRatePercent', 0, 100),
    alarmEmail: lookup('alarmEmail') === undefined ? undefined : text(lookup, 'alarmEmail', /^[^@\s]+@[^@\s]+$/, 'an e-mail address'),
    scoringEntry: text(lookup, 'scoringEntry', /\S/, 'a file path'),
    trainingContext: text(lookup, 'trainingContext', /\S/, 'a directory path'),
    trainingDockerfile: text(lookup, 'trainingDockerfile', /\S/, 'a file path'),
    retrainSchedule: text(lookup, 'retrainSchedule', /^$|^(rate|cron)\(.+\)$/, "'' or rate(...) / cron(...)"),
    retrainModelName: text(lookup, 'retrainModelName', /^$|^[a-z0-9][a-z0-9._-]*$/, 'a model name'),
    retrainModelKind: text(lookup, 'retrainModelKind', /^$|^[a-z0-9-]+$/, 'a model kind'),
    retrainDataPrefix: text(lookup, 'retrainDataPrefix', /^$|^[^/].*$/, 'a raw-bucket prefix'),
    retrainCompute: oneOf(lookup, 'retrainCompute', ['gpu', 'cpu'] as const),
  };
  if (settings.retrainSchedule !== '') {
    for (const key of ['retrainModelName', 'retrainModelKind', 'retrainDataPrefix'] as const)
      if (settings[key] === '') throw new InfraConfigError(key, '', 'is required when retrainSchedule is set');
  }
  if (settings.backfillConcurrency > settings.scoringReservedConcurrency - 2) {
    throw new InfraConfigError('backfillConcurrency', settings.backfillConcurrency,
      `must leave at least 2 of scoringReservedConcurrency (${settings.scoringReservedConcurrency}) to the SQS poller`);
  }
  return settings;
}
