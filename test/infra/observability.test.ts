import { Match, Template } from 'aws-cdk-lib/assertions';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Observability } from '../../infra/constructs/observability';
import { acknowledgements, emptyStack, nagFindings } from './helpers';

const stack = emptyStack();
const fn = new lambda.Function(stack, 'Scorer', {
  runtime: lambda.Runtime.NODEJS_24_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => {}'),
});
const queue = sqs.Queue.fromQueueArn(stack, 'Queue', 'arn:aws:sqs:eu-west-1:123456789012:scoring');
const dlq = sqs.Queue.fromQueueArn(stack, 'Dlq', 'arn:aws:sqs:eu-west-1:123456789012:scoring-dlq');
const gpuQueue = batch.JobQueue.fromJobQueueArn(stack, 'Gpu', 'arn:aws:batch:eu-west-1:123456789012:job-queue/gpu');
const cpuQueue = batch.JobQueue.fromJobQueueArn(stack, 'Cpu', 'arn:aws:batch:eu-west-1:123456789012:job-queue/cpu');
const machine = sfn.StateMachine.fromStateMachineArn(stack, 'Machine', 'arn:aws:states:eu-west-1:123456789012:stateMachine:train');
const resultsBucket = s3.Bucket.fromBucketName(stack, 'Results', 'residual-results-example');
const observability = new Observability(stack, 'Observability', {
  scoringFunction: fn,
  queue,
  deadLetterQueue: dlq,
  serviceName: 'residual-scoring',
  jobQueues: [gpuQueue, cpuQueue],
  stateMachines: [machine],
  thresholds: { lambdaErrors: 2, dlqMessages: 1, oldestMessageSeconds: 600, anomalyRatePercent: 7.5 },
  alarmEmail: 'ops@example.com',
  resultsBucket,
});
const template = Template.fromStack(stack);
const ref = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
const alarm = (a: { node: { defaultChild?: unknown } }) => template.toJSON().Resources[ref(a)].Properties;
const topic = { Ref: ref(observability.alarmTopic) };

describe('Observability', () => {
  test('alarms on scoring errors at the configured count', () => {
    expect(alarm(observability.lambdaErrorsAlarm)).toMatchObject({
      Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Period: 300, Threshold: 2,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold', Dimensions: [{ Name: 'FunctionName', Value: { Ref: ref(fn) } }],
    });
  });

  test('alarms on messages in the dead-letter queue', () => {
    expect(alarm(observability.dlqDepthAlarm)).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      Dimensions: [{ Name: 'QueueName', Value: 'scoring-dlq' }],
    });
  });

  test('alarms on the age of the oldest queued message', () => {
    expect(alarm(observability.oldestMessageAlarm)).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Statistic: 'Maximum',
      Threshold: 600,
      Dimensions: [{ Name: 'QueueName', Value: 'scoring' }],
    });
  });

  test('alarms on the anomaly rate computed from the residual EMF metrics', () => {
    const props = alarm(observability.anomalyRateAlarm);
    expect(props).toMatchObject({ Threshold: 7.5, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 3, DatapointsToAlarm: 2 });
    const metrics = props.Metrics as Array<{
      Id: string;
      Expression?: string;
      MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: unknown }; Stat: string };
    }>;
    expect(metrics.find((m) => m.Expression)?.Expression).toBe('IF(rows > 0, 100 * anomalies / rows, 0)');
    const stat = (id: string) => metrics.find((m) => m.Id === id)?.MetricStat;
    expect(stat('anomalies')).toMatchObject({
      Metric: { Namespace: 'residual', MetricName: 'Anomalies', Dimensions: [{ Name: 'service', Value: 'residual-scoring' }] },
      Stat: 'Sum',
    });
    expect(stat('rows')).toMatchObject({
      Metric: { Namespace: 'residual', MetricName: 'RowsOut', Dimensions: [{ Name: 'service', Value: 'residual-scoring' }] },
      Stat: 'Sum',
    });
  });

  // exit 2 means trained but the gate failed: the state machine reports that one, with the reasons from the job
  test('routes failed Batch jobs of both queues to the alarm topic, except exit 2', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.batch'],
        'detail-type': ['Batch Job State Change'],
        'detail': {
          'status': ['FAILED'],
          'jobQueue': ['arn:aws:batch:eu-west-1:123456789012:job-queue/gpu', 'arn:aws:batch:eu-west-1:123456789012:job-queue/cpu'],
          '$or': [{ container: { exitCode: [{ 'anything-but': 2 }] } }, { container: { exitCode: [{ exists: false }] } }],
        },
      },
      Targets: [Match.objectLike({ Arn: topic })],
    });
  });

  test('alarms when the failed-job rule matches', () => {
    expect(alarm(observability.batchFailuresAlarm)).toMatchObject({
      Namespace: 'AWS/Events',
      MetricName: 'TriggeredRules',
      Threshold: 1,
      Dimensions: [{ Name: 'RuleName', Value: { Ref: ref(observability.batchFailureRule) } }],
    });
  });

  test('alarms on failed state-machine executions', () => {
    expect(alarm(observability.executionFailureAlarms[0])).toMatchObject({
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Threshold: 1,
    });
  });

  test('sends every alarm to the topic and treats missing data as fine', () => {
    const all = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(all).toHaveLength(6);
    for (const a of all) expect(a).toMatchObject({ AlarmActions: [topic], TreatMissingData: 'notBreaching' });
  });

  test('requires TLS to publish to the topic and subscribes the e-mail', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: topic });
  });

  test('draws a dashboard with the anomaly rate and an alarm status widget', () => {
    const body = JSON.stringify(template.toJSON().Resources[ref(observability.dashboard)].Properties.DashboardBody);
    expect(body).toContain('IF(rows > 0, 100 * anomalies / rows, 0)');
    expect(body).toContain('\\"type\\":\\"alarm\\"');
  });

  test('links the results and quarantine prefixes of the results bucket in the S3 console', () => {
    const body = JSON.stringify(template.toJSON().Resources[ref(observability.dashboard)].Properties.DashboardBody);
    const console = 'https://s3.console.aws.amazon.com/s3/buckets/residual-results-example?region=eu-west-1&prefix=';
    expect(body).toContain('\\"type\\":\\"text\\"');
    expect(body).toContain(`(${console}results/)`);
    expect(body).toContain(`(${console}quarantine/)`);
  });

  test('passes cdk-nag AwsSolutions (the stand-in function is not under test)', () => {
    expect(nagFindings(observability)).toEqual([]);
  });

  test('needs no cdk-nag acknowledgement', () => {
    expect(acknowledgements(stack)).toEqual([]);
  });
});
