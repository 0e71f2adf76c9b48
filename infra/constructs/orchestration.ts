import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { InfraConfigError } from '../errors';
import { GATE_FILE } from '../job-environment';
import { LATEST_FILE, PREFIXES } from '../layout';
import { acknowledge, acknowledgeGeneratedWildcards, wildcardResourceFinding } from '../nag';
import { checkGate, DEFAULT_GATE, trainingWorkflow } from './training-workflow';

export interface OrchestrationProps {
  readonly gpuQueue: batch.IJobQueue;
  readonly gpuJobDefinition: batch.IJobDefinition;
  readonly cpuQueue: batch.IJobQueue;
  readonly cpuJobDefinition: batch.IJobDefinition;
  readonly rawBucket: s3.IBucket;
  readonly resultsBucket: s3.IBucket;
  readonly modelsBucket: s3.IBucket;
  readonly scoringFunction: lambda.IFunction;
  /**
   * Validation gate (training/validation-gate.ts): best validation loss at most this.
   * @default 1.0
   */
  readonly gateMaxLoss?: number;
  /**
   * Validation gate: share of validation samples above the threshold at most this.
   * @default 0.05
   */
  readonly gateMaxAnomalyRate?: number;
  /**
   * Validation gate: loss at most (1 + this) × the current LATEST's.
   * @default 0.25
   */
  readonly gateMaxRegression?: number;
  /**
   * Epochs when neither the input's `epochs` nor its `config.epochs` is given.
   * @default 50
   */
  readonly defaultEpochs?: number;
  /**
   * Objects scored at once by a backfill; keep it below the function's reserved concurrency.
   * @default 10
   */
  readonly backfillConcurrency?: number;
  /**
   * Percentage of objects that may fail before a backfill fails.
   * @default 5
   */
  readonly backfillToleratedFailurePercent?: number;
  /**
   * Retention of both state machines' log groups.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/** Lists objects only under `incoming/` (CDK's reader would grant ListBucket on the whole bucket). */
class IncomingObjectsReader extends sfn.S3ObjectsItemReader {
  constructor(private readonly rawBucket: s3.IBucket, prefix: string) {
    super({ bucket: rawBucket, prefix });
  }

  override providePolicyStatements(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [this.rawBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${PREFIXES.incoming}*`] } },
    })];
  }
}

/** Writes the Map Run manifest under `backfill/` only (CDK's writer would grant the whole bucket). */
class BackfillResultWriter extends sfn.ResultWriterV2 {
  constructor(private readonly resultsBucket: s3.IBucket) {
    super({ bucket: resultsBucket, prefix: PREFIXES.backfill });
  }

  override providePolicyStatements(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({
      actions: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
      resources: [this.resultsBucket.arnForObjects(`${PREFIXES.backfill}*`)],
    })];
  }
}

/**
 * Two state machines.
 * Training (see training-workflow.ts): input `{ modelName, modelKind, dataUri, epochs?, compute?: 'gpu'|'cpu',
 * config? }` → Batch job (run to completion; the job's RESIDUAL_* variables, version = the execution name,
 * publish=false) → read the job's models/<name>/<version>/gate.json → fail with its reasons unless it
 * passed → write models/<name>/LATEST = version.
 * Backfill: input `{ prefix: 'incoming/…' }` → Distributed Map over the listed objects, invoking the
 * scoring function once per object with an EventBridge "Object Created" event (raw keys,
 * no URL encoding), bounded concurrency, a tolerated failure percentage and a result manifest under
 * results bucket `backfill/`.
 */
export class Orchestration extends Construct {
  readonly trainingStateMachine: sfn.StateMachine;
  readonly backfillStateMachine: sfn.StateMachine;
  private readonly logRetention: logs.RetentionDays;

  constructor(scope: Construct, id: string, props: OrchestrationProps) {
    super(scope, id);
    this.logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const gate = {
      maxLoss: props.gateMaxLoss ?? DEFAULT_GATE.maxLoss,
      maxAnomalyRate: props.gateMaxAnomalyRate ?? DEFAULT_GATE.maxAnomalyRate,
      maxRegression: props.gateMaxRegression ?? DEFAULT_GATE.maxRegression,
    };
    checkGate(gate);
    const defaultEpochs = props.defaultEpochs ?? 50;
    if (!Number.isInteger(defaultEpochs) || defaultEpochs < 1)
      throw new InfraConfigError('defaultEpochs', defaultEpochs, 'must be a positive integer');
    const concurrency = props.backfillConcurrency ?? 10;
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new InfraConfigError('backfillConcurrency', concurrency, 'must be a positive integer');
    const tolerated = props.backfillToleratedFailurePercent ?? 5;
    if (!(tolerated >= 0 && tolerated <= 100))
      throw new InfraConfigError('backfillToleratedFailurePercent', tolerated, 'must be from 0 to 100');

    this.trainingStateMachine = this.stateMachine(
      'Training',
      trainingWorkflow(this, { ...props, gate, defaultEpochs }),
      Duration.hours(12),
    );
    this.backfillStateMachine = this.stateMachine('Backfill', this.backfillDefinition(props, concurrency, tolerated), Duration.days(7));
    this.acknowledgeScopedWildcards(props);
  }

  private acknowledgeScopedWildcards(props: OrchestrationProps): void {
    const models = (suffix: string) => props.modelsBucket.arnForObjects(`${PREFIXES.models}${suffix}`);
    acknowledge(
      this.trainingStateMachine.role,
      {
        id: wildcardResourceFinding(this, Stack.of(this).formatArn({ service: 'batch', resource: 'job-definition', resourceName: '*' })),
        reason:
          "Step Functions' Batch integration grants SubmitJob on job definitions by name pattern because their ARNs carry a revision; " +
          'the two job queues bound where jobs run.',
      },
      {
        id: wildcardResourceFinding(this, models(`*/${GATE_FILE}`)),
        reason: 'Evaluate reads the gate verdict the job wrote for the version just trained; model names are chosen per execution.',
      },
      {
        id: wildcardResourceFinding(this, models(`*/${LATEST_FILE}`)),
        reason: 'Publish moves only the LATEST pointer of the model just trained; model names are chosen per execution.',
      },
    );
    acknowledge(this.backfillStateMachine.role,
      {
        id: wildcardResourceFinding(this, `${props.scoringFunction.functionArn}:*`),
        reason: 'Invoking the scoring function covers its versions and aliases; it is the only function this machine can call.',
      },
      {
        id: wildcardResourceFinding(this, props.resultsBucket.arnForObjects(`${PREFIXES.backfill}*`)),
        reason: 'The Distributed Map writes its result manifest and per-run files under backfill/ with generated names.',
      },
    );
    const mapPolicy = this.backfillStateMachine.node.tryFindChild('DistributedMapPolicy');
    if (mapPolicy) {
      acknowledgeGeneratedWildcards(mapPolicy, /:execution:/,
        'A Distributed Map starts, describes and redrives child executions of this state machine only; their names are generated.');
    }
  }

  private stateMachine(id: string, definition: sfn.IChainable, timeout: Duration): sfn.StateMachine {
    const logGroup = new logs.LogGroup(this, `${id}Logs`, { retention: this.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    const machine = new sfn.StateMachine(this, id, {
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout,
      tracingEnabled: true,
      // Execution data can include object keys and manifests; keep it out of the logs.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    acknowledge(machine.role, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray trace segments and CloudWatch Logs vended-log delivery (logs:*LogDelivery*) do not support resource-level permissions.',
    });
    return machine;
  }

  private backfillDefinition(props: OrchestrationProps, concurrency: number, tolerated: number): sfn.IChainable {
    const map = new sfn.DistributedMap(this, 'ScoreEachObject', {
      label: 'Backfill',
      mapExecutionType: sfn.StateMachineType.STANDARD,
      itemReader: new IncomingObjectsReader(props.rawBucket, sfn.JsonPath.stringAt('$.prefix')),
      // The scoring handler accepts EventBridge "Object Created" events, whose keys are not URL-encoded.
      itemSelector: {
        'version': '0',
        'source': 'aws.s3',
        'detail-type': 'Object Created',
        'detail': {
          bucket: { name: props.rawBucket.bucketName },
          object: {
            key: sfn.JsonPath.stringAt('$$.Map.Item.Value.Key'),
            size: sfn.JsonPath.numberAt('$$.Map.Item.Value.Size'),
            etag: sfn.JsonPath.stringAt('$$.Map.Item.Value.Etag'),
          },
          reason: 'Backfill',
        },
      },
      maxConcurrency: concurrency,
      toleratedFailurePercentage: tolerated,
      resultWriterV2: new BackfillResultWriter(props.resultsBucket),
      resultPath: '$.backfill',
    });
    const score = new tasks.LambdaInvoke(this, 'ScoreObject', {
      lambdaFunction: props.scoringFunction,
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
      resultPath: sfn.JsonPath.DISCARD,
    });
    score.addRetry({
      errors: ['Lambda.TooManyRequestsException'],
      interval: Duration.seconds(2),
      backoffRate: 2,
      maxAttempts: 8,
      jitterStrategy: sfn.JitterType.FULL,
    });
    // Every listed object, as the S3 notification sends every object: the handler scores, ignores or quarantines it.
    map.itemProcessor(score);

    return new sfn.Choice(this, 'ValidatePrefix')
      .when(sfn.Condition.and(sfn.Condition.isString('$.prefix'), sfn.Condition.stringMatches('$.prefix', `${PREFIXES.incoming}*`)), map)
      .otherwise(
        new sfn.Fail(this, 'PrefixOutsideIncoming', { error: 'InvalidInput', cause: `prefix must start with ${PREFIXES.incoming}` }),
      );
  }
}
