/**
 * The S3 layout of SPEC.md, in one place. The raw bucket's `incoming/` prefix is the only trigger;
 * results and quarantine live in the results bucket, which has no notifications at all, so no output
 * can ever trigger scoring again.
 */
export const PREFIXES = {
  /** raw bucket: `incoming/<model-name>/<any path>.<ext>` triggers scoring. */
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

/** Object suffixes that trigger scoring (one S3 notification filter each; none is a suffix of another). */
export const SUPPORTED_SUFFIXES = ['.csv', '.csv.gz', '.jsonl', '.jsonl.gz', '.parquet'] as const;

/** The CloudWatch namespace and metric names the scoring handler emits through Powertools (EMF). */
export const METRICS = {
  namespace: 'residual',
  anomalies: 'Anomalies',
  rowsOut: 'RowsOut',
} as const;
