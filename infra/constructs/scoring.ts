import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ONNX_RUNTIME_EXTERNALS, onnxRuntimeCommandHooks } from '../bundling/onnxruntime';
import { withScoringWorker } from '../bundling/scoring-worker';
import { withSeparateModules } from '../bundling/separate-modules';
import { InfraConfigError, MissingAssetError } from '../errors';
import { METRICS, PREFIXES } from '../layout';
import { acknowledge, wildcardResourceFinding } from '../nag';

export interface ScoringProps {
  readonly rawBucket: s3.IBucket;
  readonly resultsBucket: s3.IBucket;
  readonly modelsBucket: s3.IBucket;
  /** Absolute path of the handler module exporting `handler` (functions/handlers/score.ts). */
  readonly entry: string;
  /**
   * Directory holding package-lock.json and node_modules.
   * @default - the repository root
   */
  readonly projectRoot?: string;
  /**
   * Lambda architecture; arm64 ships the arm64 onnxruntime binary instead.
   * @default lambda.Architecture.X86_64
   */
  readonly architecture?: lambda.Architecture;
  /**
   * Function memory in MB (also its CPU share).
   * @default 2048
   */
  readonly memorySize?: number;
  /**
   * Function timeout; the queue's visibility timeout is six times it.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
  /**
   * Reserved concurrency; also the ceiling of the SQS poller unless `queueMaxConcurrency` is set.
   * @default 20
   */
  readonly reservedConcurrency?: number;
  /**
   * Most concurrent invocations the SQS event source starts (2 to reservedConcurrency).
   * @default - reservedConcurrency
   */
  readonly queueMaxConcurrency?: number;
  /**
   * SQS messages per invocation (each failed message is retried alone: partial batch responses).
   * @default 1
   */
  readonly batchSize?: number;
  /**
   * Receives before a message moves to the dead-letter queue.
   * @default 3
   */
  readonly maxReceiveCount?: number;
  /**
   * Powertools LOG_LEVEL of the function.
   * @default 'INFO'
   */
  readonly logLevel?: string;
  /**
   * Model names loaded during init so the first event finds their session ready (PRELOAD_MODELS).
   * @default - none
   */
  readonly preloadModels?: string[];
  /**
   * POWERTOOLS_SERVICE_NAME: the `service` dimension of the function's metrics.
   * @default 'residual-scoring'
   */
  readonly serviceName?: string;
  /**
   * Retention of the function's log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The esbuild settings that decide what the scoring bundle contains (test/infra/dependency-boundary.test.ts bundles with them). */
export const SCORING_BUNDLE = {
  target: 'node24',
  // ES module builds first, so esbuild can drop the parts of the SDK the handler never calls
  mainFields: ['module', 'main'],
  externalModules: [...ONNX_RUNTIME_EXTERNALS],
  // kept out of index.js and bundled on their own beside it (infra/bundling/separate-modules.ts): the cold start
  // compiles only what every event needs; echarts (the HTML report) is compiled by the first event that asks for a report
  separateModules: ['echarts'],
} as const;

/**
 * Every object created under S3 `incoming/` → SQS (with a dead-letter queue) → the scoring Lambda (partial
 * batch failures). Outputs go to the results bucket, which has no notifications, and the function may not
 * write the raw bucket at all, so nothing it writes can trigger it again.
 */
export class Scoring extends Construct {
  readonly function: NodejsFunction;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly logGroup: logs.LogGroup;
  readonly serviceName: string;

  constructor(scope: Construct, id: string, props: ScoringProps) {
    super(scope, id);
    if (!fs.existsSync(props.entry)) throw new MissingAssetError(props.entry, 'scoring handler entry');
    const timeout = props.timeout ?? Duration.minutes(5);
    const reserved = props.reservedConcurrency ?? 20;
    const pollers = props.queueMaxConcurrency ?? reserved;
    if (pollers < 2 || pollers > Math.min(1000, reserved)) {
      throw new InfraConfigError('queueMaxConcurrency', pollers, `must be from 2 to reservedConcurrency (${reserved})`);
    }
    const architecture = props.architecture ?? lambda.Architecture.X86_64;
    this.serviceName = props.serviceName ?? 'residual-scoring';

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS guidance for Lambda event sources: at least six times the function timeout.
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 3 },
    });
    // The prefix only: S3 suffix filters are case-sensitive, so `.CSV` or `.txt` would never reach the
    // handler, which scores, ignores (with a logged reason) or quarantines every object it is given.
    props.rawBucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(this.queue), { prefix: PREFIXES.incoming });

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'residual scoring: read incoming/ and models/, write results/ and quarantine/',
    });
    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      projectRoot: props.projectRoot ?? REPO_ROOT,
      depsLockFilePath: path.join(props.projectRoot ?? REPO_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture,
      memorySize: props.memorySize ?? 2048,
      timeout,
      reservedConcurrentExecutions: reserved,
      recursiveLoop: lambda.RecursiveLoop.TERMINATE,
      role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      description: 'residual: score objects that land under incoming/',
      environment: {
        RAW_BUCKET: props.rawBucket.bucketName,
        RESULTS_BUCKET: props.resultsBucket.bucketName,
        MODELS_BUCKET: props.modelsBucket.bucketName,
        POWERTOOLS_SERVICE_NAME: this.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS.namespace,
        LOG_LEVEL: props.logLevel ?? 'INFO',
        ...(props.preloadModels?.length ? { PRELOAD_MODELS: props.preloadModels.join(',') } : {}),
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.CJS,
        target: SCORING_BUNDLE.target,
        minify: true,
        // Error classes name themselves from `new.target.name`; keep names through minification.
        keepNames: true,
        sourceMap: false,
        // Pin the SDK version the code was tested with instead of the runtime's copy.
        bundleAwsSDK: true,
        mainFields: [...SCORING_BUNDLE.mainFields],
        externalModules: [...SCORING_BUNDLE.externalModules, ...SCORING_BUNDLE.separateModules],
        // onnxruntime copied beside the bundle, then the scoring worker thread's own bundle (worker-main.js), then the
        // separate modules (node_modules/echarts/index.js)
        commandHooks: withSeparateModules(
          withScoringWorker(onnxRuntimeCommandHooks(architecture === lambda.Architecture.ARM_64 ? 'arm64' : 'x64'), SCORING_BUNDLE),
          SCORING_BUNDLE,
        ),
      },
    });
    this.function.addEventSource(new SqsEventSource(this.queue, {
      batchSize: props.batchSize ?? 1,
      reportBatchItemFailures: true,
      maxConcurrency: pollers,
    }));
    this.grantLeastPrivilege(role, props);
  }

  private grantLeastPrivilege(role: iam.Role, props: ScoringProps): void {
    const incoming = props.rawBucket.arnForObjects(`${PREFIXES.incoming}*`);
    const results = props.resultsBucket.arnForObjects(`${PREFIXES.results}*`);
    const quarantine = props.resultsBucket.arnForObjects(`${PREFIXES.quarantine}*`);
    const models = props.modelsBucket.arnForObjects(`${PREFIXES.models}*`);
    const statements = [
      // The log group's Arn attribute (`…:log-group:<name>:*`) covers its streams.
      new iam.PolicyStatement({
        sid: 'Logs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
      new iam.PolicyStatement({ sid: 'ReadIncoming', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [incoming] }),
      new iam.PolicyStatement({
        sid: 'WriteOutputs',
        actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
        resources: [results, quarantine],
      }),
      // a clean run deletes a stale .errors.ndjson, a failed run its partial results (results/ only, never quarantine/)
      new iam.PolicyStatement({ sid: 'DeleteResults', actions: ['s3:DeleteObject'], resources: [results] }),
      new iam.PolicyStatement({ sid: 'ReadModels', actions: ['s3:GetObject'], resources: [models] }),
      // ListBucket turns a missing key into 404 (unknown model, deleted input) instead of 403.
      new iam.PolicyStatement({
        sid: 'ListModels',
        actions: ['s3:ListBucket'],
        resources: [props.modelsBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${PREFIXES.models}*`] } },
      }),
      new iam.PolicyStatement({
        sid: 'ListIncoming',
        actions: ['s3:ListBucket'],
        resources: [props.rawBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${PREFIXES.incoming}*`] } },
      }),
    ];
    const policy = new iam.Policy(this, 'Policy', { statements });
    role.attachInlinePolicy(policy);
    acknowledge(
      policy,
      {
        id: wildcardResourceFinding(this, incoming),
        reason: 'Reads any object under incoming/, the only prefix that triggers scoring; object keys are chosen by users.',
      },
      {
        id: wildcardResourceFinding(this, results),
        reason: 'Writes results/<model>/<version>/<input path>, which mirrors arbitrary input keys.',
      },
      {
        id: wildcardResourceFinding(this, quarantine),
        reason: 'Copies unprocessable inputs to quarantine/<input path>, which mirrors arbitrary input keys.',
      },
      {
        id: wildcardResourceFinding(this, models),
        reason: 'Reads models/<name>/LATEST and models/<name>/<version>/ of any model named by the input key.',
      },
    );
    this.acknowledgeNotificationsHandler();
  }

  /** The stack-wide custom resource CDK adds to configure bucket notifications (one per stack). */
  private acknowledgeNotificationsHandler(): void {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((c) => c.node.id.startsWith('BucketNotificationsHandler'));
    if (!handler) return;
    acknowledge(handler, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "CDK's bucket-notification custom resource (deploy time only) logs through the AWS basic execution policy; " +
        'its S3 rights are scoped to the bucket.',
    });
  }
}
