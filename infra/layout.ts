/**
 * The S3 layout of SPEC.md, in one place. The raw bucket's `incoming/` prefix is the only trigger;
 * results and quarantine live in the results bucket, which has no notifications at all, so no output
 * can ever trigger scoring again.
 */
export const PREFIXES = {
  /**
   * raw bucket: every object created here triggers scoring (no suffix filter: S3's are case-sensitive);
   * the handler scores `incoming/<model-name>/<any path>.<ext>`, ignores other keys with a logged reason and
   * quarantines what it cannot read.
   */
  incoming: 'incoming/',
  /** raw bucket: training data read by the Batch jobs (not a trigger). */
  training: 'training/',
  /** results bucket: `results/<model-name>/<model-version>/<same path>.<ext>` + summary/errors. */
  results: 'results/',
  /** results bucket: inputs that could not be processed, plus `.error.json`. */
  quarantine: 'quarantine/',
  /** results bucket: Step Functions Distributed Map result manifests of backfills. */
  backfill: 'backfill/',
  /** models bucket: `models/<model-name>/<version>/{model.onnx,manifest.json}` and `models/<model-name>/LATEST`. */
  models: 'models/',
} as const;

/** The pointer object `models/<model-name>/LATEST`; only the training state machine's publish step writes it. */
export const LATEST_FILE = 'LATEST';

/** The CloudWatch namespace and metric names the scoring handler emits through Powertools (EMF). */
export const METRICS = {
  namespace: 'residual',
  anomalies: 'Anomalies',
  rowsOut: 'RowsOut',
} as const;
