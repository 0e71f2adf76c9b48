import type { CommandSpec } from '../flags/flag-spec';
import { DEMO_SPEC } from './demo-spec';
import { EVALUATE_SPEC } from './evaluate-spec';
import { FIDELITY_SPEC } from './fidelity-spec';
import { INSPECT_SPEC } from './inspect-spec';
import { REPORT_SPEC } from './report-spec';
import { SAMPLE_SPEC } from './sample-spec';
import { SCORE_SPEC } from './score-spec';
import { TRAIN_SPEC } from './train-spec';
import { DENOISE_SPEC } from './denoise-spec';

/** Every command's flag table, in the order `residual --help` lists them. */
export const COMMAND_SPECS: readonly CommandSpec[] = [
  TRAIN_SPEC, SCORE_SPEC, SAMPLE_SPEC, DEMO_SPEC, EVALUATE_SPEC, INSPECT_SPEC, REPORT_SPEC, DENOISE_SPEC, FIDELITY_SPEC,
];
