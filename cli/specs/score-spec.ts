import type { CommandSpec } from '../flags/flag-spec';
import { LATEST_FILE } from '../../storage/artifact/layout';
import { SCORE_MODES } from '../../scoring/score-table';
import { HELP_FLAG, OUTPUT_FLAGS, S3_FLAGS } from './shared-flags';

export const SCORE_SPEC: CommandSpec = {
  name: 'score',
  synopsis: '-m <model> -i <input> -o <output> [flags]',
  summary: 'scores a table with a trained model: the same streaming path as the Lambda, on local files, s3:// or stdin/stdout',
  flags: [
    {
      name: 'model', short: 'm', kind: 'string', value: '<dir|s3://...>', required: true,
      description: `model folder or s3:// prefix (a ${LATEST_FILE} pointer is followed)`,
    },
    {
      name: 'input', short: 'i', kind: 'string', value: '<file|s3://...|->', required: true,
      description: 'table to score: .csv, .jsonl, .parquet (.gz too); - reads CSV or JSON Lines from stdin',
    },
    {
      name: 'output', short: 'o', kind: 'string', value: '<file|s3://...|->', required: true,
      description: 'where the scored rows go; - writes them to stdout',
    },
    {
      name: 'mode', kind: 'choice', choices: SCORE_MODES, default: 'detect',
      description: 'what to write: anomaly scores, filled-in cells, denoised values or latent coordinates',
    },
    {
      name: 'format', kind: 'choice', choices: ['csv', 'jsonl', 'parquet'], description: 'output format',
      defaultText: "the output's extension; for - the input's format",
    },
    {
      name: 'threads', kind: 'string', value: '<N|auto>', default: 'auto',
      description: 'cores: N worker threads for a CSV input of a row model (with auto: of 256 MiB or more), else onnxruntime threads',
    },
    {
      name: 'top-k', kind: 'integer', value: '<N>', default: 3,
      description: 'how many features top_features names (capped at the model\'s feature count)',
    },
    {
      name: 'max-rejected', kind: 'string', value: '<N|P%>', default: '50%',
      description: 'fail, writing nothing, when more rows than this are rejected',
    },
    {
      name: 'time-column', kind: 'string', value: '<name>',
      description: 'column of timestamps: rows must be in time order (others are rejected), kept in the output, never a feature',
      defaultText: "the model's time_column, else none",
    },
    {
      name: 'state', kind: 'string', value: '<file.json>', defaultText: 'none',
      description: 'series state: resumed from when the file exists, written (atomically) after a successful run (detect, embed)',
    },
    {
      name: 'impute-flags', kind: 'boolean',
      description: 'with --mode impute: add imputed_<col> (1 = filled) and, where the model gives one, <col>_std per feature',
    },
    ...OUTPUT_FLAGS,
    ...S3_FLAGS,
    HELP_FLAG,
  ],
  notes: [
    'An output ending in .gz (x.csv.gz, x.jsonl.gz) is gzip-compressed. Beside a file output go <output>.summary.json and,\n' +
      'when rows were rejected, <output>.errors.ndjson. With --output - the summary is printed on stderr as one JSON line\n' +
      '(unless --quiet), rejected rows go to stderr as JSON lines, and a failure after rows were written leaves them written:\n' +
      'check the exit code. Parquet cannot be read from stdin (it needs random access).',
  ],
};
