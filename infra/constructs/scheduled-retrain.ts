import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { InfraConfigError } from '../errors';
import { PREFIXES } from '../layout';
import { acknowledge, acknowledgeGeneratedWildcards } from '../nag';

export interface ScheduledRetrainProps {
  readonly rawBucket: s3.IBucket;
  /** the existing training state machine (training-workflow.ts) */
  readonly trainingStateMachine: sfn.IStateMachine;
  readonly modelName: string;
  readonly modelKind: string;
  /** raw-bucket prefix of the model's recent training data; the newest object under it (key order) is trained on */
  readonly dataPrefix: string;
  /** EventBridge Scheduler expression: `rate(7 days)`, `cron(0 3 ? * MON *)` */
  readonly schedule: string;
  readonly compute: 'gpu' | 'cpu';
  readonly logRetention: logs.RetentionDays;
}

/** keys per ListObjectsV2 page */
export const LIST_PAGE_KEYS = 200;
const MODEL_NAME = /^[a-z0-9][a-z0-9._-]*$/;
const SCHEDULE = /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\([^()]+\))$/;

/**
 * A scheduled retrain of one model on its recent data (issue 12.6), off unless the `retrainSchedule` parameter is
 * set. An EventBridge Scheduler schedule starts the RetrainRecent state machine with `{ modelName, modelKind,
 * dataPrefix, compute }`; it lists the raw bucket under `dataPrefix` (every page), picks the newest object in key
 * order (keys that sort by time: `training/<model>/2026-12-02.csv`) and runs the training state machine on it to
 * completion (its gate decides whether LATEST moves). No object under the prefix fails the execution (NoTrainingData).
 */
export class ScheduledRetrain extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: ScheduledRetrainProps) {
    super(scope, id);
    if (!MODEL_NAME.test(props.modelName)) throw new InfraConfigError('retrainModelName', props.modelName, `must match ${MODEL_NAME}`);
    if (!props.modelKind) throw new InfraConfigError('retrainModelKind', props.modelKind, 'must be a model kind');
    if (!props.dataPrefix || props.dataPrefix.startsWith(PREFIXES.incoming) || props.dataPrefix.startsWith('/'))
      throw new InfraConfigError('retrainDataPrefix', props.dataPrefix, `must be a raw-bucket prefix outside ${PREFIXES.incoming}`);
    if (!SCHEDULE.test(props.schedule)) throw new InfraConfigError('retrainSchedule', props.schedule, 'must be rate(N unit) or cron(...)');

    const bucket = props.rawBucket;
    const list = (stateId: string, token: boolean) => new tasks.CallAwsService(this, stateId, {
      service: 's3',
      action: 'listObjectsV2',
      iamAction: 's3:ListBucket',
      iamResources: [bucket.bucketArn],
      parameters: {
        Bucket: bucket.bucketName,
        Prefix: sfn.JsonPath.stringAt('$.args.dataPrefix'),
        ...(token ? { ContinuationToken: sfn.JsonPath.stringAt('$.page.NextContinuationToken') } : {}),
        // a page is kept whole (Contents is absent from an empty listing, so no ResultSelector can name it):
        // 200 keys stay far below the 256 KiB state payload limit
        MaxKeys: LIST_PAGE_KEYS,
      },
      resultPath: '$.page',
    });
    const first = list('ListData', false);
    const next = list('ListMoreData', true);
    const pickLast = new sfn.Pass(this, 'PickNewest', {
      parameters: {
        'args.$': '$.args',
        'newest.$': 'States.ArrayGetItem($.page.Contents, States.MathAdd(States.ArrayLength($.page.Contents), -1))',
      },
    });
    const train = new tasks.StepFunctionsStartExecution(this, 'Train', {
      stateMachine: props.trainingStateMachine,
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      input: sfn.TaskInput.fromObject({
        modelName: sfn.JsonPath.stringAt('$.args.modelName'),
        modelKind: sfn.JsonPath.stringAt('$.args.modelKind'),
        compute: sfn.JsonPath.stringAt('$.args.compute'),
        dataUri: sfn.JsonPath.format('s3://{}/{}', bucket.bucketName, sfn.JsonPath.stringAt('$.newest.Key')),
      }),
    });
    const afterPage = new sfn.Choice(this, 'MorePages')
      .when(sfn.Condition.booleanEquals('$.page.IsTruncated', true), next)
      .when(sfn.Condition.isNotPresent('$.page.Contents'), new sfn.Fail(this, 'NoTrainingData', {
        error: 'NoTrainingData', cause: 'no object under the data prefix',
      }))
      .otherwise(pickLast.next(train));
    // the newest object is on the last page: keep listing while the page is truncated
    next.next(afterPage);
    const definition = new sfn.Pass(this, 'Arguments', { parameters: { 'args.$': '$' } }).next(first).next(afterPage);

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    this.stateMachine = new sfn.StateMachine(this, 'RetrainRecent', {
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: Duration.hours(13),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    acknowledge(this.stateMachine.role, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray trace segments and CloudWatch Logs vended-log delivery (logs:*LogDelivery*) ' +
        'do not support resource-level permissions.',
    });
    const policy = this.stateMachine.role.node.tryFindChild('DefaultPolicy');
    if (policy) {
      acknowledgeGeneratedWildcards(policy, /:execution:/,
        'A synchronous StartExecution describes and stops the training executions it started; their names are generated.');
    }

    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      schedule: scheduler.ScheduleExpression.expression(props.schedule),
      description: `residual: retrain ${props.modelName} on the newest data under ${props.dataPrefix}`,
      target: new targets.StepFunctionsStartExecution(this.stateMachine, {
        input: scheduler.ScheduleTargetInput.fromObject({
          modelName: props.modelName, modelKind: props.modelKind, dataPrefix: props.dataPrefix, compute: props.compute,
        }),
        retryAttempts: 2,
      }),
    });
  }
}
