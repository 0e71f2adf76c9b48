import type { CommandSpec } from '../flags/flag-spec';
import { HELP_FLAG, OUTPUT_FLAGS, S3_FLAGS } from './shared-flags';

export const EVALUATE_SPEC: CommandSpec = {
  name: 'evaluate',
  synopsis: '--scored <file|-> (--label-column <y> [--labels <file>] | --reference <file> [-i <file>]) [flags]',
  summary: 'detection quality of a scored file against labels, or impute/denoise quality against a clean reference',
  flags: [
    {
      name: 'scored', kind: 'string', value: '<file|s3://...|->', required: true,
      description: "residual score's output; - reads CSV or JSON Lines from stdin",
    },
    { name: 'label-column', kind: 'string', value: '<name>', description: 'column of 0/1 labels (detect)', defaultText: 'none' },
    {
      name: 'labels', kind: 'string', value: '<file|s3://...>', description: 'labels in a separate file, paired by row position',
      defaultText: 'the scored file',
    },
    { name: 'time-column', kind: 'string', value: '<name>', description: 'column of times, for time to detect', defaultText: 'none' },
    {
      name: 'reference', kind: 'string', value: '<file|s3://...>', description: 'clean table to compare impute/denoise output with',
      defaultText: 'none',
    },
    {
      name: 'input', short: 'i', kind: 'string', value: '<file|s3://...>',
      description: 'the table that was scored (adds RMSE over the filled cells)', defaultText: 'none',
    },
    { name: 'features', kind: 'list', value: '<a,b>', description: 'columns to compare', defaultText: 'the columns the files share' },
    ...OUTPUT_FLAGS,
    ...S3_FLAGS,
    HELP_FLAG,
  ],
  notes: [
    'detect: ROC-AUC, PR-AUC (average precision), precision/recall/F1 at is_anomaly, best-F1 threshold, event recall\n' +
      'and time to detect (runs of label 1 are events), point-adjusted F1 (inflated; see the warning).\n' +
      'impute/denoise: RMSE and SNR of the output against --reference; --input adds RMSE over the filled cells and the\n' +
      "input's own RMSE/SNR.",
  ],
};
