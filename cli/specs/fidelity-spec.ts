import type { CommandSpec } from '../flags/flag-spec';
import { HELP_FLAG, OUTPUT_FLAGS, S3_FLAGS } from './shared-flags';

export const FIDELITY_SPEC: CommandSpec = {
  name: 'fidelity',
  synopsis: '--real <file> --synthetic <file> [--train <file>] [--label-column <y>] [flags]',
  summary: 'how close synthetic rows are to real ones: KS/W1 per column, correlations, C2ST, TSTR utility, privacy (DCR)',
  flags: [
    {
      name: 'real', kind: 'string', value: '<file|s3://...>', required: true,
      description: "real rows the generator did not train on (its columns are the ones compared)",
    },
    { name: 'synthetic', kind: 'string', value: '<file|s3://...>', required: true, description: 'the generated rows (residual sample)' },
    {
      name: 'train', kind: 'string', value: '<file|s3://...>', defaultText: 'none',
      description: "the generator's training rows: adds the privacy check and train-on-real accuracy",
    },
    {
      name: 'label-column', kind: 'string', value: '<name>', defaultText: 'none',
      description: 'a class column: adds train-on-synthetic-test-on-real accuracy',
    },
    { name: 'exclude', kind: 'list', value: '<a,b>', description: 'columns of --real to leave out', defaultText: 'none' },
    {
      name: 'max-rows', kind: 'integer', value: '<N>', min: 10, default: 5000,
      description: 'rows per side for C2ST and the privacy check (a random subset beyond it)',
    },
    { name: 'seed', kind: 'integer', value: '<N>', min: 0, default: 0, description: 'seed of the C2ST folds and row subsets' },
    ...OUTPUT_FLAGS,
    ...S3_FLAGS,
    HELP_FLAG,
  ],
};
