import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { availableParallelism } from 'node:os';
import { metricsNamespace, optionalIntEnv, requireEnv } from '../config';
import { createOnnxScorer } from '../../scoring/adapters/onnx-scorer';
import { createS3ObjectStore } from '../../storage/adapters/s3-object-store';
import { eventItem, isSqsEvent, messageItem, type ScoreEvent, type WorkItem } from '../services/event-records';
import { ModelRepository } from '../../storage/artifact/model-repository';
import { scoreObject, type ScoreObjectDeps, type ScoreOutcome } from '../services/score-object';

/** What the handler reads from the Lambda context: the time left before the invocation is killed (and, in Lambda, the rest). */
export interface DeadlineContext extends Partial<Omit<Context, 'getRemainingTimeInMillis'>> {
  getRemainingTimeInMillis(): number;
}

export interface HandlerOptions {
  /** stop this long before the Lambda deadline, so uploads are aborted and the record failed cleanly (default 5 s) */
  deadlineMarginMs?: number;
}

/**
 * Builds the handler around its dependencies; tests and the demo pass a store pointed at s3rver. SQS batches
 * go through Powertools' BatchProcessor (one record at a time, in order): a record whose scoring throws is
 * reported in `batchItemFailures` for SQS to redeliver; a direct S3 or EventBridge event rethrows instead.
 */
export function createHandler(
  deps: ScoreObjectDeps,
  logger = new Logger(),
  metrics = new Metrics({ namespace: metricsNamespace() }),
  options: HandlerOptions = {},
) {
  return async (event: ScoreEvent, context?: DeadlineContext): Promise<SQSBatchResponse | void> => {
    if (context) logger.addContext(context as Context);
    metrics.captureColdStartMetric(context?.functionName);
    const deadline = deadlineSignal(context, options.deadlineMarginMs ?? 5000);
    const work = (item: WorkItem) => runItem(item, deps, deadline.signal, logger, metrics);
    try {
      if (!isSqsEvent(event)) return await work(eventItem(event));
      const score = (record: SQSRecord) => work(messageItem(record));
      // a processor per invocation: it holds the batch's state, and tests and the demo invoke concurrently
      return await processPartialResponse(event, score, new BatchProcessor(EventType.SQS), {
        context: context as Context | undefined, processInParallel: false, throwOnFullBatchFailure: false,
      });
    } finally {
      deadline.clear();
      metrics.publishStoredMetrics();
    }
  };
}

/** Scores the objects of one work item; throws (after logging and counting) when the item should be retried. */
async function runItem(
  item: WorkItem, deps: ScoreObjectDeps, signal: AbortSignal | undefined, logger: Logger, metrics: Metrics,
): Promise<void> {
  for (const reason of item.skipped) {
    logger.warn('event record ignored', { messageId: item.messageId, reason });
    metrics.addMetric('IgnoredRecords', MetricUnit.Count, 1);
  }
  if (item.invalid) {
    logger.error('unreadable message dropped', { messageId: item.messageId, reason: item.invalid });
    metrics.addMetric('InvalidMessages', MetricUnit.Count, 1);
    return;
  }
  try {
    for (const object of item.objects) record(await scoreObject(object, deps, signal), object.key, logger, metrics);
  } catch (err) {
    // transient: let SQS redeliver this message (and, after maxReceiveCount, dead-letter it)
    const { name, message } = err as Error;
    logger.error('scoring failed; the record will be retried', { messageId: item.messageId, error: name, message });
    metrics.addMetric('FailedRecords', MetricUnit.Count, 1);
    throw err;
  }
}

/** An AbortSignal that fires `marginMs` before the Lambda deadline (never, without a context). */
function deadlineSignal(context: DeadlineContext | undefined, marginMs: number): { signal?: AbortSignal; clear(): void } {
  if (!context || typeof context.getRemainingTimeInMillis !== 'function') return { clear: () => undefined };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.max(0, context.getRemainingTimeInMillis() - marginMs));
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/** Logs and counts an outcome. Data values are never logged: only keys, counts and reasons. */
function record(outcome: ScoreOutcome, key: string, logger: Logger, metrics: Metrics): void {
  if (outcome.status === 'ignored') {
    logger.info('object ignored', { key, reason: outcome.reason });
    return;
  }
  if (outcome.status === 'quarantined') {
    logger.warn('object quarantined', { key, code: outcome.code, reason: outcome.reason, quarantine: outcome.quarantine });
    metrics.addMetric('QuarantinedObjects', MetricUnit.Count, 1);
    return;
  }
  const s = outcome.summary;
  logger.info('object scored', {
    key,
    output: s.output,
    model: s.model,
    rowsIn: s.rows_in,
    rowsOut: s.rows_out,
    rowsRejected: s.rows_rejected,
    anomalies: s.anomalies,
    timings: s.timings,
  });
  metrics.addMetadata('modelVersion', `${s.model.name}@${s.model.version}`);
  metrics.addMetric('RowsIn', MetricUnit.Count, s.rows_in);
  metrics.addMetric('RowsOut', MetricUnit.Count, s.rows_out);
  metrics.addMetric('RejectedRows', MetricUnit.Count, s.rows_rejected);
  metrics.addMetric('Anomalies', MetricUnit.Count, s.anomalies);
  metrics.addMetric('DurationMs', MetricUnit.Milliseconds, s.timings.total_ms);
}

let lazy: { handle: ReturnType<typeof createHandler>; models: ModelRepository } | undefined;

function fromEnvironment() {
  if (!lazy) {
    const store = createS3ObjectStore({ endpoint: process.env.S3_ENDPOINT || undefined });
    const models = new ModelRepository({
      store,
      bucket: requireEnv('MODELS_BUCKET'),
      createScorer: (onnx, manifest) => createOnnxScorer(onnx, manifest),
    });
    // the cores the function's memory size gives it (1769 MB: one vCPU), unless SCORING_THREADS says otherwise
    const threads = optionalIntEnv('SCORING_THREADS', availableParallelism());
    lazy = { handle: createHandler({ store, models, resultsBucket: requireEnv('RESULTS_BUCKET'), threads }), models };
  }
  return lazy;
}

/**
 * Loads the LATEST version of each named model (fetch + onnxruntime session), so the first event does
 * not pay for it. Runs during Lambda init for the comma-separated PRELOAD_MODELS; a model that fails to
 * load here is simply loaded (and its error reported) by the first event that needs it.
 */
export async function preload(names: string[]): Promise<void> {
  const { models } = fromEnvironment();
  await Promise.allSettled(names.map((name) => models.load(name)));
}

const preloading = process.env.PRELOAD_MODELS
  ? preload(
      process.env.PRELOAD_MODELS.split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    )
  : Promise.resolve();

/** The Lambda entry point: dependencies are built once per container from the environment. */
export const handler = async (event: ScoreEvent, context?: DeadlineContext): Promise<SQSBatchResponse | void> => {
  await preloading;
  return fromEnvironment().handle(event, context);
};
