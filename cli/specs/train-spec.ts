import type { CommandSpec } from '../flags/flag-spec';
import { DEFAULT_ONNX_FILE, MANIFEST_FILE } from '../../storage/artifact/layout';
import { MODEL_KINDS } from '../../core/model-kind';
import { HELP_FLAG, OUTPUT_FLAGS, S3_FLAGS } from './shared-flags';

/** training/backend.ts's BACKEND_CHOICES (it loads tfjs, which `--help` and usage errors should not wait for); a test keeps them equal. */
export const TRAIN_BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;

export const TRAIN_SPEC: CommandSpec = {
  name: 'train',
  synopsis: '-d <data> [-m <kind>] -o <dir|s3://b/prefix> [flags]',
  summary: `trains a model on a table and writes ${DEFAULT_ONNX_FILE} and ${MANIFEST_FILE} to --out`,
  // defaults in defaultText are training/train.ts's: the trainer applies them after --config (flags win over it)
  flags: [
    {
      name: 'data', short: 'd', kind: 'string', value: '<file|s3://b/k>', required: true,
      description: 'training table (.csv, .jsonl, .parquet, .gz)',
    },
    {
      name: 'model', short: 'm', kind: 'choice', value: '<kind>', choices: MODEL_KINDS, default: 'auto',
      description: `model kind: ${MODEL_KINDS.join(', ')} (auto: a detector, imputer or denoiser configured from the data)`,
    },
    { name: 'out', short: 'o', kind: 'string', value: '<dir|s3://b/prefix>', required: true, description: 'where the artifact is written' },
    {
      name: 'columns', kind: 'list', value: '<a,b,c>', description: 'feature columns',
      defaultText: '--config columns, else every numeric column not excluded',
    },
    {
      name: 'exclude', kind: 'list', value: '<a,b>', description: 'columns that are not features (labels, timestamps)',
      defaultText: '--config exclude, else none',
    },
    {
      name: 'window', kind: 'integer', value: '<N>', description: 'rows per window (windowed models)',
      defaultText: '--config window, else none (one row at a time)',
    },
    {
      name: 'stride', kind: 'integer', value: '<S>', description: 'rows between window starts (needs --window)',
      defaultText: '--config stride, else 1',
    },
    {
      name: 'epochs', kind: 'integer', value: '<N>', min: 0, description: 'most epochs (early stopping may end sooner)',
      defaultText: '--config epochs, else 100',
    },
    { name: 'batch-size', kind: 'integer', value: '<N>', description: 'rows per mini-batch', defaultText: '--config batchSize, else 128' },
    { name: 'seed', kind: 'integer', value: '<N>', min: 0, description: 'random seed', defaultText: '--config seed, else 42' },
    {
      name: 'threshold', kind: 'string', value: '<percentile:99.5|sigma:3|pot:1e-3>',
      description: 'how the anomaly threshold is calibrated',
      defaultText: '--config threshold, else percentile:99.5',
    },
    {
      name: 'backend', kind: 'choice', choices: TRAIN_BACKENDS, default: 'auto',
      description: 'tfjs backend: auto tries tensorflow, wasm, cpu',
    },
    {
      name: 'config', kind: 'string', value: '<file.json>', description: 'training options as JSON; flags win over it', defaultText: 'none',
    },
    {
      name: 'time-column', kind: 'string', value: '<name>',
      description: 'column of timestamps: never a feature; rows out of time order are skipped; recorded in the manifest',
      defaultText: '--config timeColumn, else none',
    },
    {
      name: 'streaming', kind: 'choice', choices: ['auto', 'on', 'off'], default: 'auto',
      description: 'train in bounded memory (rows in shuffled shards on disk); auto: a row model on 512 MiB of data or more',
    },
    {
      name: 'target', kind: 'string', value: '<file|s3://b/k>', defaultText: 'none',
      description: 'clean table, one row per --data row (aligned): train a denoiser on --data (noisy) → --target (clean)',
    },
    {
      name: 'augment', kind: 'string', value: '<ecg|types[:snr=LO..HI,copies=N,segment=S,mains=50|60|any]>', defaultText: 'none',
      description: 'train a denoiser on --data (clean) corrupted on the fly; types wander+powerline+emg+motion+white (needs --sample-rate)',
    },
    {
      name: 'sample-rate', kind: 'string', value: '<HZ>', defaultText: 'none',
      description: 'samples per second of a continuous signal: with --augment or --target trains a windowed denoiser',
    },
    {
      name: 'task', kind: 'choice', value: '<detect|impute>', choices: ['detect', 'impute'],
      description: 'what --model auto builds: the detector or the imputer (training/models/auto-impute/route.ts)',
      defaultText: 'impute when >= 5 % of the feature cells are missing (along time with --time-column), else detect',
    },
    ...OUTPUT_FLAGS,
    ...S3_FLAGS,
    HELP_FLAG,
  ],
  notes: [
    '--config keys: name, version, epochs, batchSize, seed, learningRate, patience, validationSplit, threshold,\n' +
      '               scaler (standard|minmax|global|robust), error (mse|mae), columns, exclude, window, stride, model {kind options},\n' +
      '               timeColumn',
    'Without --columns, training stops with an error naming the columns when more than half of the columns not\n' +
      'excluded are non-numeric, or when a feature looks like a label: named label, target, y, class, is_anomaly,\n' +
      'anomaly or outlier (any case), or constant in the training data. --exclude or --columns says what you mean.',
    'Streaming (--streaming on, or auto on a large table) reads the data once: scaler statistics, the data hash and a\n' +
      'validation sample of up to 200,000 held-out rows; the training rows go to shuffled shards in the temp directory\n' +
      '(TMPDIR; about 4 bytes a cell), and each epoch reads them one 32 MiB shard at a time. auto and pca fit on a\n' +
      'uniform sample of 200,000 training rows.',
  ],
};
