import { Duration, Stack } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { NOT_PROMOTED_EXIT_CODE } from '../job-exit-code';
import { METRICS, PREFIXES } from '../layout';

export interface AlarmThresholds {
  /**
   * Scoring function errors per 5 minutes.
   * @default 1
   */
  readonly lambdaErrors?: number;
  /**
   * Messages waiting in the dead-letter queue.
   * @default 1
   */
  readonly dlqMessages?: number;
  /**
   * Age of the oldest message in the scoring queue, seconds.
   * @default 900
   */
  readonly oldestMessageSeconds?: number;
  /**
   * Anomalies / rows out, percent, over 5 minutes in 2 of 3 periods.
   * @default 5
   */
  readonly anomalyRatePercent?: number;
}

export interface ObservabilityProps {
  readonly scoringFunction: lambda.IFunction;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  /** POWERTOOLS_SERVICE_NAME of the scoring function: the `service` dimension of its EMF metrics. */
  readonly serviceName: string;
  readonly jobQueues: batch.IJobQueue[];
  /**
   * State machines whose failed executions raise an alarm (and appear on the dashboard).
   * @default - none
   */
  readonly stateMachines?: sfn.IStateMachine[];
  /**
   * Alarm thresholds.
   * @default - each AlarmThresholds default
   */
  readonly thresholds?: AlarmThresholds;
  /**
   * E-mail address subscribed to the alarm topic.
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /**
   * Bucket of the scored outputs: the dashboard links its `results/` and `quarantine/` prefixes in the S3 console.
   * @default - no links
   */
  readonly resultsBucket?: s3.IBucket;
}

/**
 * Alarms (→ one SNS topic) on scoring errors, dead-letter depth, queue age, anomaly-rate spikes,
 * failed Batch jobs (EventBridge rule → topic, and an alarm on the rule's matches) and failed
 * state-machine executions; one dashboard.
 */
export class Observability extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly lambdaErrorsAlarm: cloudwatch.Alarm;
  readonly dlqDepthAlarm: cloudwatch.Alarm;
  readonly oldestMessageAlarm: cloudwatch.Alarm;
  readonly anomalyRateAlarm: cloudwatch.Alarm;
  readonly batchFailuresAlarm: cloudwatch.Alarm;
  readonly batchFailureRule: events.Rule;
  readonly executionFailureAlarms: cloudwatch.Alarm[];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const t = props.thresholds ?? {};
    const fiveMinutes = Duration.minutes(5);
    // No KMS key on the topic: notifications carry alarm names and states, never data; CloudWatch and
    // EventBridge cannot publish under the AWS-managed SNS key, and a customer key costs $1/month at rest.
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', { displayName: 'residual alarms', enforceSSL: true });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const notify = new actions.SnsAction(this.alarmTopic);
    const alarm = (alarmId: string, options: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        ...options,
      });
      created.addAlarmAction(notify);
      return created;
    };

    const errors = props.scoringFunction.metricErrors({ period: fiveMinutes, statistic: 'Sum' });
    this.lambdaErrorsAlarm = alarm('ScoringErrors', {
      metric: errors, threshold: t.lambdaErrors ?? 1, evaluationPeriods: 1,
      alarmDescription: 'The scoring function failed (an object is being retried or will reach the dead-letter queue).',
    });
    const dlqDepth = props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum' });
    this.dlqDepthAlarm = alarm('DeadLetters', {
      metric: dlqDepth, threshold: t.dlqMessages ?? 1, evaluationPeriods: 1,
      alarmDescription: 'Objects failed every retry and wait in the dead-letter queue; redrive after fixing the cause.',
    });
    const oldest = props.queue.metricApproximateAgeOfOldestMessage({ period: fiveMinutes, statistic: 'Maximum' });
    this.oldestMessageAlarm = alarm('QueueAge', {
      metric: oldest, threshold: t.oldestMessageSeconds ?? 900, evaluationPeriods: 1,
      alarmDescription: 'Scoring is falling behind: the oldest queued object has waited too long.',
    });

    const emf = (metricName: string) => new cloudwatch.Metric({
      namespace: METRICS.namespace, metricName, dimensionsMap: { service: props.serviceName }, statistic: 'Sum', period: fiveMinutes,
    });
    const anomalyRate = new cloudwatch.MathExpression({
      expression: 'IF(rows > 0, 100 * anomalies / rows, 0)',
      usingMetrics: { anomalies: emf(METRICS.anomalies), rows: emf(METRICS.rowsOut) },
      period: fiveMinutes,
      label: 'anomaly rate (%)',
    });
    this.anomalyRateAlarm = alarm('AnomalyRate', {
      metric: anomalyRate, threshold: t.anomalyRatePercent ?? 5, evaluationPeriods: 3, datapointsToAlarm: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      alarmDescription: 'The share of rows flagged anomalous spiked: a process change, a sensor fault, or drift away from the model.',
    });

    this.batchFailureRule = new events.Rule(this, 'BatchJobFailed', {
      description: 'residual training jobs that end FAILED, other than exit 2 (trained, not promoted)',
      eventPattern: {
        source: ['aws.batch'],
        detailType: ['Batch Job State Change'],
        detail: {
          status: ['FAILED'],
          jobQueue: props.jobQueues.map((q) => q.jobQueueArn),
          // Exit 2 is "trained, LATEST not moved": the training state machine reads the gate verdict and
          // reports a failed gate as a failed execution (alarmed below), so only crashes and lost hosts count here.
          $or: [
            { container: { exitCode: [{ 'anything-but': NOT_PROMOTED_EXIT_CODE }] } },
            { container: { exitCode: [{ exists: false }] } },
          ],
        },
      },
      targets: [new targets.SnsTopic(this.alarmTopic)],
    });
    const batchFailures = new cloudwatch.Metric({
      namespace: 'AWS/Events', metricName: 'TriggeredRules', dimensionsMap: { RuleName: this.batchFailureRule.ruleName },
      statistic: 'Sum', period: fiveMinutes,
    });
    this.batchFailuresAlarm = alarm('BatchJobFailures', {
      metric: batchFailures, threshold: 1, evaluationPeriods: 1,
      alarmDescription: 'A training job failed on AWS Batch.',
    });
    this.executionFailureAlarms = (props.stateMachines ?? []).map((machine, i) => alarm(`ExecutionsFailed${i}`, {
      metric: machine.metricFailed({ period: fiveMinutes, statistic: 'Sum' }), threshold: 1, evaluationPeriods: 1,
      alarmDescription: 'A training or backfill execution failed (including models that failed the validation gate).',
    }));

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(1) });
    if (props.resultsBucket) this.dashboard.addWidgets(outputLinks(props.resultsBucket, Stack.of(this).region));
    const fn = props.scoringFunction;
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Scoring invocations and errors', left: [fn.metricInvocations(), errors, fn.metricThrottles()] }),
      new cloudwatch.GraphWidget({
        title: 'Scoring duration (p50, p99)',
        left: [fn.metricDuration({ statistic: 'p50' }), fn.metricDuration({ statistic: 'p99' })],
      }),
      new cloudwatch.GraphWidget({
        title: 'Rows out and anomalies',
        left: [emf(METRICS.rowsOut), emf(METRICS.anomalies)],
        right: [anomalyRate],
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Queue',
        left: [props.queue.metricApproximateNumberOfMessagesVisible(), dlqDepth],
        right: [oldest],
      }),
      new cloudwatch.GraphWidget({ title: 'Failed training jobs', left: [batchFailures] }),
      new cloudwatch.GraphWidget({
        title: 'State machine executions',
        left: (props.stateMachines ?? []).flatMap((m) => [m.metricSucceeded(), m.metricFailed()]),
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        width: 24,
        alarms: [
          this.lambdaErrorsAlarm,
          this.dlqDepthAlarm,
          this.oldestMessageAlarm,
          this.anomalyRateAlarm,
          this.batchFailuresAlarm,
          ...this.executionFailureAlarms,
        ],
      }),
    );
  }
}

/** A text widget linking the S3 console at the results bucket's `results/` and `quarantine/` prefixes. */
function outputLinks(bucket: s3.IBucket, region: string): cloudwatch.TextWidget {
  const link = (prefix: string) => `https://s3.console.aws.amazon.com/s3/buckets/${bucket.bucketName}?region=${region}&prefix=${prefix}`;
  return new cloudwatch.TextWidget({
    width: 24,
    height: 2,
    markdown: [
      `**Outputs** in \`${bucket.bucketName}\`: [scored results (${PREFIXES.results})](${link(PREFIXES.results)})`,
      `· [quarantined inputs (${PREFIXES.quarantine})](${link(PREFIXES.quarantine)})`,
    ].join(' '),
  });
}
