import type { CommandSpec } from '../flags/flag-spec';
import { HELP_FLAG, OUTPUT_FLAGS, S3_FLAGS } from './shared-flags';

export const DENOISE_FILTERS = ['bandpass', 'wavelet'] as const;

export const DENOISE_SPEC: CommandSpec = {
  name: 'denoise',
  synopsis: '--filter <bandpass|wavelet> --sample-rate HZ -i <input> -o <output> [flags]',
  summary: 'classical denoising of continuous signals (zero-phase Butterworth band-pass or wavelet threshold), streamed',
  flags: [
    {
      name: 'input', short: 'i', kind: 'string', value: '<file|s3://...>', required: true,
      description: 'table of signal rows (.csv, .jsonl, .parquet, .gz)',
    },
    {
      name: 'output', short: 'o', kind: 'string', value: '<file|s3://...>', required: true,
      description: 'where the denoised rows go (format from the extension)',
    },
    {
      name: 'filter', kind: 'choice', choices: DENOISE_FILTERS, required: true,
      description: 'bandpass: Butterworth HP order 2 + LP order 4, filtfilt; wavelet: db4 soft threshold',
    },
    { name: 'sample-rate', kind: 'string', value: '<HZ>', required: true, description: 'samples per second' },
    {
      name: 'columns', kind: 'list', value: '<a,b,c>',
      description: 'signal columns (leads)', defaultText: 'every column but --time-column and --exclude',
    },
    { name: 'exclude', kind: 'list', value: '<a,b>', description: 'columns passed through untouched', defaultText: 'none' },
    { name: 'time-column', kind: 'string', value: '<name>', description: 'column of sample times, passed through', defaultText: 'none' },
    { name: 'low', kind: 'string', value: '<HZ>', default: '0.5', description: 'bandpass: high-pass cut-off (baseline wander); 0 = none' },
    { name: 'high', kind: 'string', value: '<HZ>', default: '40', description: 'bandpass: low-pass cut-off (power line, EMG)' },
    { name: 'threshold-scale', kind: 'string', value: '<K>', default: '1', description: 'wavelet: multiplier of the universal threshold' },
    {
      name: 'block', kind: 'string', value: '<SECONDS>', default: '30',
      description: 'rows filtered together (plus 10 s of context each side)',
    },
    ...OUTPUT_FLAGS,
    ...S3_FLAGS,
    HELP_FLAG,
  ],
  notes: [
    'Memory is bounded by (block + 20 s) × sample rate rows. Empty or non-numeric signal cells are gaps: bridged for\n' +
      'filtering and written empty. Rows the reader cannot parse are counted as rejected (rows_in = rows_out + rows_rejected).',
  ],
};
