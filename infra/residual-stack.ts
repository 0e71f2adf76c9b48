import * as path from 'node:path';
import { Aspects, CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { DEFAULT_SETTINGS, ResidualSettings } from './config';
import { Observability } from './constructs/observability';
import { Orchestration } from './constructs/orchestration';
import { Scoring } from './constructs/scoring';
import { Storage } from './constructs/storage';
import { Training } from './constructs/training';
import { ScheduledRetrain } from './constructs/scheduled-retrain';
import { retentionDays, RetainFunctionLogs } from './log-retention';

export const REPO_ROOT = path.resolve(__dirname, '..');

export interface ResidualStackProps extends StackProps {
  /**
   * Deployment parameters; each missing one takes its DEFAULT_SETTINGS value.
   * @default DEFAULT_SETTINGS
   */
  readonly settings?: Partial<ResidualSettings>;
  /**
   * Root that relative paths in settings resolve against and that holds package-lock.json.
   * @default REPO_ROOT (the repository)
   */
  readonly projectRoot?: string;
}

/** The whole residual pipeline: storage → scoring, training → orchestration, observability. */
export class ResidualStack extends Stack {
  readonly storage: Storage;
  readonly scoring: Scoring;
  readonly training: Training;
  readonly orchestration: Orchestration;
  readonly observability: Observability;
  /** present only when the `retrainSchedule` parameter is set */
  readonly retrain?: ScheduledRetrain;

  constructor(scope: Construct, id: string, props: ResidualStackProps = {}) {
    super(scope, id, { description: 'residual: anomaly detection, imputation and denoising pipeline', ...props });
    const s: ResidualSettings = { ...DEFAULT_SETTINGS, ...props.settings };
    const root = props.projectRoot ?? REPO_ROOT;
    const resolve = (p: string) => path.resolve(root, p);
    const logRetention = retentionDays('logRetentionDays', s.logRetentionDays);
    // CDK's own custom-resource handlers too (bucket notifications, the VPC's default security group, ...).
    Aspects.of(this).add(new RetainFunctionLogs(logRetention));

    this.storage = new Storage(this, 'Storage', {
      resultsRetention: Duration.days(s.resultsRetentionDays),
      quarantineRetention: Duration.days(s.quarantineRetentionDays),
    });
    const { rawBucket, resultsBucket, modelsBucket } = this.storage;

    this.scoring = new Scoring(this, 'Scoring', {
      rawBucket, resultsBucket, modelsBucket,
      entry: resolve(s.scoringEntry),
      projectRoot: root,
      architecture: s.architecture === 'arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64,
      memorySize: s.scoringMemoryMb,
      timeout: Duration.seconds(s.scoringTimeoutSeconds),
      reservedConcurrency: s.scoringReservedConcurrency,
      // Backfills invoke the same function; the SQS poller keeps the rest of the reserved concurrency.
      queueMaxConcurrency: Math.max(2, s.scoringReservedConcurrency - s.backfillConcurrency),
      batchSize: s.scoringBatchSize,
      maxReceiveCount: s.maxReceiveCount,
      logLevel: s.logLevel,
      preloadModels: s.preloadModels ? s.preloadModels.split(',') : [],
      logRetention,
    });

    this.training = new Training(this, 'Training', {
      image: { directory: resolve(s.trainingContext), file: s.trainingDockerfile },
      dataBucket: rawBucket,
      modelsBucket,
      flowLogsBucket: this.storage.accessLogsBucket,
      gpuMaxVcpus: s.gpuMaxVcpus,
      gpuSpot: s.gpuSpot,
      cpuMaxVcpus: s.cpuMaxVcpus,
      logRetention,
    });

    this.orchestration = new Orchestration(this, 'Orchestration', {
      gpuQueue: this.training.gpuQueue,
      gpuJobDefinition: this.training.gpuJobDefinition,
      cpuQueue: this.training.cpuQueue,
      cpuJobDefinition: this.training.cpuJobDefinition,
      rawBucket, resultsBucket, modelsBucket,
      scoringFunction: this.scoring.function,
      gateMaxLoss: s.gateMaxLoss,
      gateMaxAnomalyRate: s.gateMaxAnomalyRate,
      gateMaxRegression: s.gateMaxRegression,
      defaultEpochs: s.defaultEpochs,
      backfillConcurrency: s.backfillConcurrency,
      backfillToleratedFailurePercent: s.backfillToleratedFailurePercent,
      logRetention,
    });

    this.observability = new Observability(this, 'Observability', {
      scoringFunction: this.scoring.function,
      queue: this.scoring.queue,
      deadLetterQueue: this.scoring.deadLetterQueue,
      serviceName: this.scoring.serviceName,
      jobQueues: [this.training.gpuQueue, this.training.cpuQueue],
      stateMachines: [this.orchestration.trainingStateMachine, this.orchestration.backfillStateMachine],
      thresholds: {
        lambdaErrors: s.alarmLambdaErrors,
        dlqMessages: s.alarmDlqMessages,
        oldestMessageSeconds: s.alarmOldestMessageSeconds,
        anomalyRatePercent: s.alarmAnomalyRatePercent,
      },
      alarmEmail: s.alarmEmail,
      resultsBucket,
    });

    if (s.retrainSchedule !== '') {
      this.retrain = new ScheduledRetrain(this, 'ScheduledRetrain', {
        rawBucket, trainingStateMachine: this.orchestration.trainingStateMachine,
        modelName: s.retrainModelName, modelKind: s.retrainModelKind, dataPrefix: s.retrainDataPrefix,
        schedule: s.retrainSchedule, compute: s.retrainCompute, logRetention,
      });
    }

    const output = (outputId: string, value: string, description: string) => new CfnOutput(this, outputId, { value, description });
    output('RawBucketName', rawBucket.bucketName, 'Upload inputs to incoming/<model-name>/...');
    output('ResultsBucketName', resultsBucket.bucketName, 'Scored outputs under results/, failures under quarantine/');
    output('ModelsBucketName', modelsBucket.bucketName, 'Models under models/<name>/<version>/ and models/<name>/LATEST');
    output('ScoringFunctionName', this.scoring.function.functionName, 'The scoring Lambda');
    output('DeadLetterQueueUrl', this.scoring.deadLetterQueue.queueUrl, 'Objects that failed every retry');
    output(
      'TrainingStateMachineArn',
      this.orchestration.trainingStateMachine.stateMachineArn,
      'Start with {"modelName","modelKind","dataUri","epochs"?,"compute"?:"gpu"|"cpu","config"?:{...residual train --config}}',
    );
    output(
      'BackfillStateMachineArn',
      this.orchestration.backfillStateMachine.stateMachineArn,
      'Start with {"prefix":"incoming/<model-name>/..."}',
    );
    output('AlarmTopicArn', this.observability.alarmTopic.topicArn, 'Subscribe to receive alarms');
  }
}
