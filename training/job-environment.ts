// The training job's contract with whatever starts it (AWS Batch via the CDK stack, or a person). No
// imports on purpose: the infra reads these names at synth time without loading the training code.

/** The job's settings: `--flag` → environment variable (the infra passes these names to the container). */
export const JOB_ENVIRONMENT: Readonly<Record<string, string>> = {
  data: 'RESIDUAL_DATA_URI', model: 'RESIDUAL_MODEL_KIND', name: 'RESIDUAL_MODEL_NAME', models: 'RESIDUAL_MODELS_URI',
  version: 'RESIDUAL_MODEL_VERSION', backend: 'RESIDUAL_BACKEND', config: 'RESIDUAL_TRAIN_CONFIG',
  'gate-max-loss': 'RESIDUAL_GATE_MAX_LOSS', 'gate-max-anomaly-rate': 'RESIDUAL_GATE_MAX_ANOMALY_RATE',
  'gate-max-regression': 'RESIDUAL_GATE_MAX_REGRESSION', publish: 'RESIDUAL_PUBLISH',
};

/** Written beside each version: the gate's verdict, which the training state machine reads before it publishes. */
export const GATE_FILE = 'gate.json';

/** The job's exit code when it trained and wrote gate.json but the validation gate failed (a crash is 1). */
export const GATE_FAILED_EXIT_CODE = 2;
