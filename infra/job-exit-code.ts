/**
 * Exit code of the training job (training/job.ts `jobMain`) for "trained, gate.json written, LATEST not
 * moved". The training state machine goes on to read the verdict; the Batch failure alarm ignores it.
 */
export const NOT_PROMOTED_EXIT_CODE = 2;
