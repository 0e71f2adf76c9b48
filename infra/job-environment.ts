import { JOB_ENVIRONMENT } from '../training/job-environment';
import { JobContractError } from './errors';

function variable(flag: string): string {
  const name = JOB_ENVIRONMENT[flag];
  if (name === undefined) throw new JobContractError(flag, Object.keys(JOB_ENVIRONMENT));
  return name;
}

/**
 * The environment variables the training container reads (training/job.ts `JOB_ENVIRONMENT`), looked up
 * when this module loads: a setting the job renames or drops fails synthesis and the infra tests, not a
 * deployed training run.
 */
export const JOB_VARIABLES = {
  dataUri: variable('data'),
  modelKind: variable('model'),
  modelName: variable('name'),
  /** `s3://<models bucket>`; the job writes `models/<name>/<version>/` under it. */
  modelsUri: variable('models'),
  version: variable('version'),
  backend: variable('backend'),
  /** Inline JSON of the `residual train --config` file. */
  trainConfig: variable('config'),
  gateMaxLoss: variable('gate-max-loss'),
  gateMaxAnomalyRate: variable('gate-max-anomaly-rate'),
  gateMaxRegression: variable('gate-max-regression'),
  /** 'false': the job writes gate.json but leaves LATEST to the state machine. */
  publish: variable('publish'),
} as const;

/** The verdict file the job writes beside each version (training/job.ts `GATE_FILE`). */
export { GATE_FILE } from '../training/job-environment';
