import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Storage } from '../../infra/constructs/storage';
import { Training } from '../../infra/constructs/training';
import { MissingAssetError } from '../../infra/errors';
import { acknowledgements, emptyStack, nagFindings, staleAcknowledgements, tempDir, testApp } from './helpers';

/** A miniature repository: what the job needs plus what must never reach the Docker build context. */
function fakeRepository(): string {
  const root = tempDir('repo');
  const files: Record<string, string> = {
    'package.json': '{}',
    'package-lock.json': '{}',
    '.npmrc': '',
    'tsconfig.json': '{}',
    'core/manifest.ts': '',
    'training/job.ts': '',
    'training/Dockerfile': 'FROM public.ecr.aws/docker/library/node:20-slim\n',
    'cli/main.ts': '',
    'bin/residual.js': '',
    'node_modules/big/index.js': '',
    'test/core/a.test.ts': '',
    'bench/run.ts': '',
    'infra/residual-stack.ts': '',
    'functions/handlers/score.ts': '',
    'storage/adapters/s3-object-store.ts': '',
    'storage/object-store.ts': '',
    'functions/errors.ts': '',
    'scoring/score-table.ts': '',
    'vendor/libtensorflow-gpu-linux-x86_64-2.9.1.tar.gz': '',
    'models/demo/model.onnx': '',
    'cdk.out/x.json': '',
    'training/loop.test.ts': '',
    'README.md': '',
  };
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  return root;
}

const outdir = tempDir('training-out');
const app = testApp({ outdir });
const stack = emptyStack(app);
const storage = new Storage(stack, 'Storage');
const training = new Training(stack, 'Training', {
  image: { directory: fakeRepository(), file: 'training/Dockerfile' },
  dataBucket: storage.rawBucket, modelsBucket: storage.modelsBucket, flowLogsBucket: storage.accessLogsBucket,
});
const template = Template.fromStack(stack);
const ref = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
const arn = (c: { node: { defaultChild?: unknown } }) => ({ 'Fn::GetAtt': [ref(c), 'Arn'] });
const objects = (c: { node: { defaultChild?: unknown } }, prefix: string) => ({ 'Fn::Join': ['', [arn(c), `/${prefix}*`]] });
type Statement = { Sid?: string; Effect?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const jobStatements = Object.values(template.findResources('AWS::IAM::Policy'))
  .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === ref(training.jobRole)))
  .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);

function stagedContext(): string[] {
  const assembly = app.synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, `${stack.artifactId}.assets.json`), 'utf8')) as {
    dockerImages: Record<string, { source: { directory: string } }>;
  };
  const [image] = Object.values(manifest.dockerImages);
  const dir = path.join(assembly.directory, image.source.directory);
  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.relative(dir, path.join(d, e.name)).split(path.sep).join('/')]));
  return walk(dir).sort();
}

describe('Training', () => {
  test('runs GPU jobs on a managed EC2 environment of g5/g6 instances with the ECS AL2023 NVIDIA image, scaling to zero', () => {
    template.hasResourceProperties('AWS::Batch::ComputeEnvironment', {
      Type: 'managed',
      ComputeResources: Match.objectLike({
        Type: 'EC2', InstanceTypes: ['g5', 'g6'], MinvCpus: 0, MaxvCpus: 16,
        Ec2Configuration: [{ ImageType: 'ECS_AL2023_NVIDIA' }],
      }),
    });
  });

  test('runs CPU jobs on Fargate', () => {
    template.hasResourceProperties('AWS::Batch::ComputeEnvironment', {
      Type: 'managed',
      ComputeResources: Match.objectLike({ Type: 'FARGATE', MaxvCpus: 16 }),
    });
  });

  test('has one job queue per compute environment', () => {
    template.resourceCountIs('AWS::Batch::JobQueue', 2);
  });

  test('asks for one GPU in the GPU job definition', () => {
    template.hasResourceProperties('AWS::Batch::JobDefinition', {
      PlatformCapabilities: ['EC2'],
      ContainerProperties: Match.objectLike({ ResourceRequirements: Match.arrayWith([{ Type: 'GPU', Value: '1' }]) }),
    });
  });

  test('gives both job definitions the training image, the job role and the models bucket as RESIDUAL_MODELS_URI', () => {
    const defs = Object.values(template.findResources('AWS::Batch::JobDefinition')).map((d) => d.Properties);
    expect(defs.map((d) => d.PlatformCapabilities[0]).sort()).toEqual(['EC2', 'FARGATE']);
    const images = new Set(defs.map((d) => JSON.stringify(d.ContainerProperties.Image)));
    expect(images.size).toBe(1);
    for (const d of defs) {
      expect(d.ContainerProperties.JobRoleArn).toEqual(arn(training.jobRole));
      const modelsUri = { 'Fn::Join': ['', ['s3://', { Ref: ref(storage.modelsBucket) }]] };
      expect(d.ContainerProperties.Environment).toContainEqual({ Name: 'RESIDUAL_MODELS_URI', Value: modelsUri });
    }
  });

  test('sets no command, so the image\'s ENTRYPOINT starts the job with its settings from the environment', () => {
    for (const d of Object.values(template.findResources('AWS::Batch::JobDefinition'))) {
      expect(d.Properties.ContainerProperties.Command).toBeUndefined();
    }
  });

  test('retries reclaimed Spot hosts but not failed training', () => {
    template.hasResourceProperties('AWS::Batch::JobDefinition', {
      PlatformCapabilities: ['EC2'],
      RetryStrategy: {
        Attempts: 3,
        EvaluateOnExit: [
          { Action: 'RETRY', OnStatusReason: 'Host EC2*' },
          { Action: 'RETRY', OnReason: 'CannotPullContainerError:*' },
          { Action: 'EXIT', OnExitCode: '*' },
        ],
      },
    });
  });

  test('builds the image from training/Dockerfile with only what the job needs in the context', () => {
    expect(stagedContext()).toEqual([
      '.npmrc', 'bin/residual.js', 'cli/main.ts', 'core/manifest.ts', 'package-lock.json', 'package.json',
      'storage/adapters/s3-object-store.ts', 'storage/object-store.ts', 'training/Dockerfile', 'training/job.ts', 'tsconfig.json',
      'vendor/libtensorflow-gpu-linux-x86_64-2.9.1.tar.gz',
    ]);
  });

  test('keeps every source the real training/Dockerfile copies inside the build context', () => {
    const dockerfile = fs.readFileSync(path.join(__dirname, '../../training/Dockerfile'), 'utf8');
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/));
    const defaults = Object.fromEntries([...dockerfile.matchAll(/^ARG (\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    const staged = stagedContext();
    expect(sources.length).toBeGreaterThan(3);
    for (const raw of sources) {
      const source = raw.replace(/\$\{(\w+)\}/g, (_, name: string) => defaults[name] ?? '');
      if (!fs.existsSync(path.join(__dirname, '../..', source)) && !source.startsWith('vendor/'))
        throw new Error(`training/Dockerfile copies '${source}', which the repository does not have`);
      const probe = source.endsWith('.ts') || source.includes('.') ? source : `${source}/x.ts`;
      const included = staged.includes(probe) || staged.some((f) => f.startsWith(`${source.replace(/\/$/, '')}/`));
      if (!included) expect({ source, staged: 'not in the staged context' }).toEqual({ source, staged: 'in the staged context' });
    }
  });

  test('lets the job read training/ and incoming/ data and write models/<name>/<version>/ only', () => {
    const allowed = jobStatements.filter((s) => s.Effect !== 'Deny');
    const byAction = (a: string) => allowed.filter((s) => [s.Action].flat().includes(a)).flatMap((s) => [s.Resource].flat());
    expect(byAction('s3:PutObject')).toEqual([objects(storage.modelsBucket, 'models/*/*/')]);
    expect(byAction('s3:GetObject')).toEqual(expect.arrayContaining([
      objects(storage.rawBucket, 'training/'), objects(storage.rawBucket, 'incoming/'), objects(storage.modelsBucket, 'models/'),
    ]));
    expect(byAction('s3:GetObject')).toHaveLength(3);
  });

  test('denies the job writing or deleting any models/<name>/LATEST, which only the publish step moves', () => {
    expect(jobStatements.filter((s) => s.Effect === 'Deny')).toEqual([{
      Sid: 'NeverPublish', Effect: 'Deny', Action: ['s3:DeleteObject', 's3:PutObject'],
      Resource: { 'Fn::Join': ['', [arn(storage.modelsBucket), '/models/*/LATEST']] },
    }]);
  });

  test('sets publish=false in both job definitions, so a job submitted directly does not try to move LATEST', () => {
    for (const d of Object.values(template.findResources('AWS::Batch::JobDefinition'))) {
      expect(d.Properties.ContainerProperties.Environment).toContainEqual({ Name: 'RESIDUAL_PUBLISH', Value: 'false' });
    }
  });

  test('opens no inbound port', () => {
    const groups = Object.values(template.findResources('AWS::EC2::SecurityGroup'));
    expect(groups).toHaveLength(1);
    expect(groups[0].Properties.SecurityGroupIngress).toBeUndefined();
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  test('creates no NAT gateway (nothing billed at rest) and an S3 gateway endpoint', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
  });

  test('logs VPC flows to the access-log bucket', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', { LogDestinationType: 's3', TrafficType: 'ALL' });
  });

  test('passes cdk-nag AwsSolutions', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('acknowledges each finding on its resource, with a reason, and none in vain', () => {
    const acks = acknowledgements(stack);
    expect(acks.map((a) => a.path)).toEqual(
      expect.arrayContaining(['Test/Training/GpuCompute', 'Test/Training/ExecutionRole', 'Test/Training/JobPolicy']),
    );
    for (const a of acks) expect(a.reason.length).toBeGreaterThan(20);
    expect(staleAcknowledgements(stack)).toEqual([]);
  });

  test('refuses a missing Dockerfile, naming the path', () => {
    const s = emptyStack(testApp(), 'NoDockerfile');
    const st = new Storage(s, 'Storage');
    const dir = tempDir('empty');
    expect(
      () =>
        new Training(s, 'Training', {
          image: { directory: dir, file: 'training/Dockerfile' },
          dataBucket: st.rawBucket,
          modelsBucket: st.modelsBucket,
        }),
    ).toThrow(new MissingAssetError(path.join(dir, 'training/Dockerfile'), 'training Dockerfile'));
  });
});
