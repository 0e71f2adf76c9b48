import type { CommandSpec } from '../flags/flag-spec';
import { SCORE_MODES } from '../../scoring/score-table';
import { HELP_FLAG, OUTPUT_FLAGS, S3_FLAGS } from './shared-flags';

export const REPORT_SPEC: CommandSpec = {
  name: 'report',
  synopsis: '--scored <file|s3://...> -o <report.html> [flags]',
  summary: 'one self-contained HTML page (inline SVG charts, no scripts, no network) about a scored file',
  flags: [
    { name: 'scored', kind: 'string', value: '<file|s3://...>', required: true, description: "residual score's output" },
    {
      name: 'output', short: 'o', kind: 'string', value: '<report.html|s3://...>', required: true, description: 'where the page is written',
    },
    {
      name: 'model', short: 'm', kind: 'string', value: '<dir|s3://...>', description: 'the model, for its threshold and features',
      defaultText: 'none',
    },
    { name: 'label-column', kind: 'string', value: '<name>', description: 'column of 0/1 labels', defaultText: 'none' },
    {
      name: 'mode', kind: 'choice', choices: SCORE_MODES, description: 'what the file holds',
      defaultText: '<scored>.summary.json, else the columns',
    },
    {
      name: 'input', short: 'i', kind: 'string', value: '<file|s3://...>',
      description: 'the file the output was scored from (impute, denoise)', defaultText: 'none',
    },
    { name: 'reference', kind: 'string', value: '<file|s3://...>', description: 'a clean reference (denoise)', defaultText: 'none' },
    ...OUTPUT_FLAGS,
    ...S3_FLAGS,
    HELP_FLAG,
  ],
};
