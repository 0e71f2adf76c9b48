import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IgnoreMode } from 'aws-cdk-lib';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import { Construct } from 'constructs';
import { MissingAssetError } from '../errors';
import { JOB_VARIABLES } from '../job-environment';
import { LATEST_FILE, PREFIXES } from '../layout';
import { acknowledge, wildcardResourceFinding } from '../nag';

/** Where the training image is built from (synthesized as an asset; `cdk deploy` builds and pushes it). */
export interface TrainingImageSource {
  /** Docker build context (the repository root for residual). */
  readonly directory: string;
  /** Dockerfile path relative to `directory`. */
  readonly file: string;
  /**
   * Docker-ignore patterns.
   * @default TRAINING_CONTEXT_EXCLUDES (everything but what the job needs)
   */
  readonly exclude?: string[];
}

/**
 * The build context keeps only what a training job can use; node_modules, tests, benchmarks, infra,
 * functions, scoring, models and cdk.out never reach the Docker daemon (or the asset hash).
 */
export const TRAINING_CONTEXT_EXCLUDES: readonly string[] = [
  '**', '!package.json', '!package-lock.json', '!.npmrc', '!tsconfig.json',
  '!core/**', '!training/**', '!cli/**', '!bin/**',
  // the job reads and writes S3 through the shared storage layer (port, adapters, table opening)
  '!storage/**',
  // libtensorflow (GPU build) is provided at build time here; see training/Dockerfile
  '!vendor/**',
  '**/*.test.ts', '**/node_modules',
];

export interface TrainingProps {
  readonly image: TrainingImageSource;
  readonly modelsBucket: s3.IBucket;
  /** Bucket holding training data under `training/` and `incoming/` (the raw bucket). */
  readonly dataBucket: s3.IBucket;
  /**
   * Bring your own VPC (jobs then run in its private subnets with egress).
   * @default - a two-AZ VPC with public subnets only (no NAT gateway costs at rest)
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Destination of VPC flow logs when the VPC is created here (prefix `vpc-flow-logs/`).
   * @default - a CloudWatch log group with `logRetention`
   */
  readonly flowLogsBucket?: s3.IBucket;
  /**
   * Ceiling of the GPU environment (g5/g6.xlarge have 4 vCPUs and one GPU each).
   * @default 16
   */
  readonly gpuMaxVcpus?: number;
  /**
   * Spot capacity for the GPU environment (cheaper, may be reclaimed; jobs retry on reclaim).
   * @default false
   */
  readonly gpuSpot?: boolean;
  /**
   * Ceiling of the Fargate CPU environment.
   * @default 16
   */
  readonly cpuMaxVcpus?: number;
  /**
   * Time after which Batch stops a job.
   * @default Duration.hours(8)
   */
  readonly jobTimeout?: Duration;
  /**
   * Retention of the job log group (and of the flow-log group when there is no flowLogsBucket).
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * AWS Batch for training: a managed EC2 GPU environment (g5/g6, ECS AL2023 NVIDIA AMI, scales to zero)
 * with a one-GPU job definition, and a Fargate CPU environment for small jobs. Both run the image
 * built from training/Dockerfile with a job role limited to the data and model prefixes.
 */
export class Training extends Construct {
  readonly vpc: ec2.IVpc;
  readonly gpuQueue: batch.JobQueue;
  readonly cpuQueue: batch.JobQueue;
  readonly gpuJobDefinition: batch.EcsJobDefinition;
  readonly cpuJobDefinition: batch.EcsJobDefinition;
  readonly jobRole: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly image: ecs.ContainerImage;

  constructor(scope: Construct, id: string, props: TrainingProps) {
    super(scope, id);
    const dockerfile = path.join(props.image.directory, props.image.file);
    if (!fs.existsSync(dockerfile)) throw new MissingAssetError(dockerfile, 'training Dockerfile');
    this.image = ecs.ContainerImage.fromAsset(props.image.directory, {
      file: props.image.file,
      exclude: [...(props.image.exclude ?? TRAINING_CONTEXT_EXCLUDES)],
      ignoreMode: IgnoreMode.DOCKER,
      platform: Platform.LINUX_AMD64,
    });
    const retention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    this.vpc = props.vpc ?? this.createVpc(props.flowLogsBucket, retention);
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: this.vpc,
      description: 'residual training jobs: no inbound, outbound HTTPS to S3, ECR and CloudWatch',
      allowAllOutbound: true,
    });
    const subnets = { subnetType: props.vpc ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PUBLIC };

    this.logGroup = new logs.LogGroup(this, 'LogGroup', { retention, removalPolicy: RemovalPolicy.DESTROY });
    this.jobRole = new iam.Role(this, 'JobRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'residual training job: read training data, write models/<name>/<version>/ (never LATEST)',
    });
    this.grantJobAccess(props);
    const executionRole = new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'residual training: pull the training image and write job logs',
    });
    // The image's ENTRYPOINT (`node dist/training-job.js`, no command) reads its settings from the
    // environment; the models location is fixed per stack, the rest arrives per submission. A job never
    // moves LATEST (its role may not), so a direct submission must not try: publish=false unless overridden.
    const environment = { [JOB_VARIABLES.modelsUri]: `s3://${props.modelsBucket.bucketName}`, [JOB_VARIABLES.publish]: 'false' };
    const logging = ecs.LogDriver.awsLogs({ streamPrefix: 'training', logGroup: this.logGroup });
    const retryStrategies = [
      batch.RetryStrategy.of(batch.Action.RETRY, batch.Reason.SPOT_INSTANCE_RECLAIMED),
      batch.RetryStrategy.of(batch.Action.RETRY, batch.Reason.CANNOT_PULL_CONTAINER),
      batch.RetryStrategy.of(batch.Action.EXIT, batch.Reason.NON_ZERO_EXIT_CODE),
    ];
    const timeout = props.jobTimeout ?? Duration.hours(8);

    const gpuCompute = new batch.ManagedEc2EcsComputeEnvironment(this, 'GpuCompute', {
      vpc: this.vpc,
      vpcSubnets: subnets,
      securityGroups: [securityGroup],
      instanceClasses: [ec2.InstanceClass.G5, ec2.InstanceClass.G6],
      useOptimalInstanceClasses: false,
      images: [{ imageType: batch.EcsMachineImageType.ECS_AL2023_NVIDIA }],
      minvCpus: 0,
      maxvCpus: props.gpuMaxVcpus ?? 16,
      spot: props.gpuSpot ?? false,
      allocationStrategy: props.gpuSpot
        ? batch.AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED
        : batch.AllocationStrategy.BEST_FIT_PROGRESSIVE,
      updateToLatestImageVersion: true,
    });
    acknowledge(gpuCompute, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role]',
      reason:
        'The Batch container instance role needs the AWS-maintained ECS agent policy; ' +
        'it carries no data access (jobs use their own job role).',
    });
    this.gpuQueue = new batch.JobQueue(this, 'GpuQueue', { computeEnvironments: [{ computeEnvironment: gpuCompute, order: 1 }] });
    this.gpuJobDefinition = new batch.EcsJobDefinition(this, 'GpuJob', {
      container: new batch.EcsEc2ContainerDefinition(this, 'GpuContainer', {
        image: this.image,
        gpu: 1,
        cpu: 4,
        // g5.xlarge / g6.xlarge have 16 GiB; the ECS agent and OS keep the rest.
        memory: Size.gibibytes(14),
        jobRole: this.jobRole,
        executionRole,
        environment,
        logging,
      }),
      retryAttempts: 3,
      retryStrategies,
      timeout,
      propagateTags: true,
    });

    acknowledge(executionRole, {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken has no resource-level permissions; image pulls themselves are scoped to the asset repository.',
    });

    const cpuCompute = new batch.FargateComputeEnvironment(this, 'CpuCompute', {
      vpc: this.vpc,
      vpcSubnets: subnets,
      securityGroups: [securityGroup],
      maxvCpus: props.cpuMaxVcpus ?? 16,
    });
    this.cpuQueue = new batch.JobQueue(this, 'CpuQueue', { computeEnvironments: [{ computeEnvironment: cpuCompute, order: 1 }] });
    this.cpuJobDefinition = new batch.EcsJobDefinition(this, 'CpuJob', {
      container: new batch.EcsFargateContainerDefinition(this, 'CpuContainer', {
        image: this.image,
        cpu: 2,
        memory: Size.gibibytes(8),
        // Public subnets without NAT: the task needs a public address to reach ECR and S3's public endpoint.
        assignPublicIp: !props.vpc,
        fargatePlatformVersion: ecs.FargatePlatformVersion.LATEST,
        jobRole: this.jobRole,
        executionRole,
        environment,
        logging,
      }),
      retryAttempts: 2,
      retryStrategies: retryStrategies.slice(1),
      timeout,
      propagateTags: true,
    });
  }

  private createVpc(flowLogsBucket: s3.IBucket | undefined, retention: logs.RetentionDays): ec2.Vpc {
    const flowLogGroup = () => new logs.LogGroup(this, 'FlowLogs', { retention, removalPolicy: RemovalPolicy.DESTROY });
    return new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 22 }],
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
      restrictDefaultSecurityGroup: true,
      flowLogs: {
        all: {
          destination: flowLogsBucket
            ? ec2.FlowLogDestination.toS3(flowLogsBucket, 'vpc-flow-logs/')
            : ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup()),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
    });
  }

  private grantJobAccess(props: TrainingProps): void {
    const data = [PREFIXES.training, PREFIXES.incoming].map((p) => props.dataBucket.arnForObjects(`${p}*`));
    const models = props.modelsBucket.arnForObjects(`${PREFIXES.models}*`);
    // `*` spans `/` in IAM: models/*/*/* is every key at least two levels below models/ (models/<name>/<version>/…),
    // which models/<name>/LATEST is not; the deny holds even if another policy is attached to the role later.
    const versions = props.modelsBucket.arnForObjects(`${PREFIXES.models}*/*/*`);
    const latest = props.modelsBucket.arnForObjects(`${PREFIXES.models}*/${LATEST_FILE}`);
    const policy = new iam.Policy(this, 'JobPolicy', {
      statements: [
        new iam.PolicyStatement({ sid: 'ReadData', actions: ['s3:GetObject'], resources: data }),
        new iam.PolicyStatement({
          sid: 'ListData', actions: ['s3:ListBucket'], resources: [props.dataBucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${PREFIXES.training}*`, `${PREFIXES.incoming}*`] } },
        }),
        // LATEST and the manifest it names feed the regression check.
        new iam.PolicyStatement({ sid: 'ReadModels', actions: ['s3:GetObject'], resources: [models] }),
        new iam.PolicyStatement({ sid: 'WriteVersions', actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resources: [versions] }),
        // Only the training state machine's publish step moves LATEST, after it has read a passing gate.json.
        new iam.PolicyStatement({
          sid: 'NeverPublish', effect: iam.Effect.DENY, actions: ['s3:PutObject', 's3:DeleteObject'], resources: [latest],
        }),
        new iam.PolicyStatement({
          sid: 'ListModels', actions: ['s3:ListBucket'], resources: [props.modelsBucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${PREFIXES.models}*`] } },
        }),
      ],
    });
    this.jobRole.attachInlinePolicy(policy);
    acknowledge(
      policy,
      ...data.map((arn) => ({
        id: wildcardResourceFinding(this, arn),
        reason: `Training data is any object under training/ or incoming/ named in the job's ${JOB_VARIABLES.dataUri}.`,
      })),
      {
        id: wildcardResourceFinding(this, models),
        reason: 'The job reads models/<name>/LATEST and the manifest it names for its regression check; names are chosen at submission.',
      },
      {
        id: wildcardResourceFinding(this, versions),
        reason: 'The job writes models/<name>/<version>/ (model, manifest, gate.json); name and version are chosen at submission.',
      },
    );
  }
}
