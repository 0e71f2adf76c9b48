import { GATE_FAILED_EXIT_CODE } from '../training/job-environment';

/**
 * Exit code of the training job (training/job.ts `jobMain`) for "trained, gate.json written, validation
 * gate failed". The training state machine goes on to read the verdict and fails with the job's reasons;
 * the Batch failure alarm ignores it (the execution-failure alarm reports it).
 */
export const NOT_PROMOTED_EXIT_CODE = GATE_FAILED_EXIT_CODE;
