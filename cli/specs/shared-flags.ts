import type { FlagSpec } from '../flags/flag-spec';

export const HELP_FLAG: FlagSpec = { name: 'help', short: 'h', kind: 'boolean', description: 'print this help and exit' };

/** `--json` and `--quiet`, on every command whose result is a file or a report. */
export const OUTPUT_FLAGS: readonly FlagSpec[] = [
  { name: 'json', kind: 'boolean', description: 'print the result on stdout as one JSON object (the human summary goes to stderr)' },
  { name: 'quiet', short: 'q', kind: 'boolean', description: 'no progress or summary on stderr (warnings and errors still print)' },
];

/** aws-cli's flags for s3:// paths (they win over AWS_PROFILE, AWS_REGION and S3_ENDPOINT / AWS_ENDPOINT_URL_S3). */
export const S3_FLAGS: readonly FlagSpec[] = [
  {
    name: 'profile', kind: 'string', value: '<name>', description: 'AWS profile for s3:// paths (~/.aws/config)',
    defaultText: 'AWS_PROFILE, else the SDK chain',
  },
  {
    name: 'region', kind: 'string', value: '<region>', description: 'AWS region for s3:// paths',
    defaultText: 'AWS_REGION, else the profile\'s, else us-east-1',
  },
  {
    name: 'endpoint-url', kind: 'string', value: '<url>',
    description: 'S3-compatible endpoint (s3rver, moto, MinIO); path-style addressing',
    defaultText: 'S3_ENDPOINT or AWS_ENDPOINT_URL_S3, else AWS',
  },
];
