import type { CommandSpec } from '../flags/flag-spec';
import { LATEST_FILE } from '../../storage/artifact/layout';
import { HELP_FLAG, OUTPUT_FLAGS, S3_FLAGS } from './shared-flags';

export const INSPECT_SPEC: CommandSpec = {
  name: 'inspect',
  synopsis: '<model dir|s3://bucket/prefix> [flags]',
  summary: 'kind, features, threshold and its calibration, validation metrics, training data, ONNX inputs and outputs, file sizes',
  positional: { name: 'model', description: `model folder or s3:// prefix (a ${LATEST_FILE} pointer is followed)` },
  flags: [...OUTPUT_FLAGS, ...S3_FLAGS, HELP_FLAG],
};
