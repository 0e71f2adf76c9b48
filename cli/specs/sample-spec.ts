import type { CommandSpec } from '../flags/flag-spec';
import { DECODER_FILE, GENERATOR_FILE } from '../../storage/artifact/layout';
import { HELP_FLAG, OUTPUT_FLAGS, S3_FLAGS } from './shared-flags';

export const SAMPLE_SPEC: CommandSpec = {
  name: 'sample',
  synopsis: '-m <vae|gan model> --rows N -o <file|s3://...> [--condition col=value] [flags]',
  summary: `synthetic rows from a 'vae' (${DECODER_FILE}) or 'gan' (${GENERATOR_FILE}) model, in raw units and types`,
  flags: [
    {
      name: 'model', short: 'm', kind: 'string', value: '<dir|s3://...>', required: true, description: 'a vae or gan model folder or s3:// prefix',
    },
    { name: 'rows', kind: 'integer', value: '<N>', required: true, description: 'how many rows to draw' },
    {
      name: 'output', short: 'o', kind: 'string', value: '<file|s3://...>', required: true,
      description: 'the extension picks the format: .csv, .csv.gz, .jsonl, .jsonl.gz or .parquet',
    },
    {
      name: 'seed', kind: 'integer', value: '<N>', min: Number.MIN_SAFE_INTEGER, default: 0,
      description: 'random seed for the latent points',
    },
    {
      name: 'condition', kind: 'list', value: '<col=value>',
      description: "gan only: pin one discrete column to a value seen in training (CTGAN's conditional vector)",
    },
    ...OUTPUT_FLAGS,
    ...S3_FLAGS,
    HELP_FLAG,
  ],
};
