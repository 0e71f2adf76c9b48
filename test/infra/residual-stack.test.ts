import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/build-app';
import {
  doublingOnnxModel,
  nagFindings,
  placeholderDockerContext,
  placeholderHandler,
  staleAcknowledgements,
  stateMachineDefinition,
  tempDir,
} from './helpers';

const LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024;
const handler = placeholderHandler();
const docker = placeholderDockerContext();

/** The app as `cdk synth` builds it (nag plugin included), bundling the stand-in handler for real. */
function synth(context: Record<string, unknown> = {}) {
  const outdir = tempDir('cdk-out');
  const { app, stack } = buildApp({
    outdir,
    projectRoot: handler.projectRoot,
    context: { scoringEntry: handler.entry, trainingContext: docker.directory, trainingDockerfile: docker.file, ...context },
  });
  const assembly = app.synth();
  const template = Template.fromStack(stack);
  const fnId = stack.getLogicalId(stack.scoring.function.node.defaultChild as never);
  const key = template.toJSON().Resources[fnId].Properties.Code.S3Key as string;
  const assets = JSON.parse(fs.readFileSync(path.join(assembly.directory, `${stack.artifactId}.assets.json`), 'utf8')) as {
    files: Record<string, { source: { path: string } }>;
  };
  const bundle = path.join(assembly.directory, assets.files[key.replace(/\.zip$/, '')].source.path);
  return { assembly, stack, template, bundle };
}

function files(root: string, dir = root): Array<{ file: string; size: number }> {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory()
      ? files(root, full)
      : [{ file: path.relative(root, full).split(path.sep).join('/'), size: fs.statSync(full).size }];
  });
}

const x64 = synth();
const ref = (c: { node: { defaultChild?: unknown } }) => x64.stack.getLogicalId(c.node.defaultChild as never);

describe('ResidualStack', () => {
  test('synthesizes with the cdk-nag AwsSolutions plugin and no violation', () => {
    const report = JSON.parse(fs.readFileSync(path.join(x64.assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: Array<{ conclusion: string }>;
    };
    expect(report.pluginReports.filter((r) => r.conclusion !== 'success')).toEqual([]);
    expect(nagFindings(x64.stack)).toEqual([]);
  });

  test('carries no acknowledgement that excuses nothing', () => {
    expect(staleAcknowledgements(x64.stack)).toEqual([]);
  });

  test('notifies from the raw bucket only, so no output can trigger scoring', () => {
    const notified = Object.values(x64.template.findResources('Custom::S3BucketNotifications')).map((r) => r.Properties.BucketName);
    expect(notified).toEqual([{ Ref: ref(x64.stack.storage.rawBucket) }]);
    expect(ref(x64.stack.storage.resultsBucket)).not.toBe(ref(x64.stack.storage.rawBucket));
  });

  test('gives no role in the stack write access to incoming/', () => {
    const writes = Object.values(x64.template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>)
      .filter((s) => [s.Action].flat().some((a) => a === 's3:PutObject' || a === 's3:*'));
    for (const w of writes) {
      const text = JSON.stringify(w.Resource);
      expect(text.includes(ref(x64.stack.storage.rawBucket)) && text.includes('incoming')).toBe(false);
    }
  });

  test('leaves the SQS poller the reserved concurrency that backfills do not use', () => {
    x64.template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 20 });
    x64.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 10 } });
  });

  test('outputs the buckets, state machines, dead-letter queue and alarm topic', () => {
    const outputs = Object.keys(x64.template.toJSON().Outputs);
    expect(outputs).toEqual(expect.arrayContaining([
      'RawBucketName', 'ResultsBucketName', 'ModelsBucketName', 'ScoringFunctionName', 'DeadLetterQueueUrl',
      'TrainingStateMachineArn', 'BackfillStateMachineArn', 'AlarmTopicArn',
    ]));
  });

  test('bundles the handler with onnxruntime for linux/x64 only, well under the 250 MB unzipped limit', () => {
    const listed = files(x64.bundle);
    const size = listed.reduce((sum, f) => sum + f.size, 0);
    expect(listed.map((f) => f.file)).toContain('index.js');
    const binaries = listed.filter((f) => f.file.includes('/bin/')).map((f) => f.file);
    expect(binaries.length).toBeGreaterThanOrEqual(2);
    expect(binaries.every((f) => /\/linux\/x64\//.test(f))).toBe(true);
    expect(size).toBeLessThan(LAMBDA_UNZIPPED_LIMIT);
    process.stdout.write(`x64 Lambda bundle: ${(size / 1048576).toFixed(1)} MiB unzipped (${listed.length} files)\n`);
  });

  test('runs the bundled handler, which runs a model through the bundled onnxruntime', () => {
    if (process.platform !== 'linux' || process.arch !== 'x64') return;
    const script = [
      `const { handler } = require(${JSON.stringify(path.join(x64.bundle, 'index.js'))});`,
      `handler({ model: ${JSON.stringify(doublingOnnxModel().toString('base64'))} }).then((r) => process.stdout.write(JSON.stringify(r)));`,
    ].join('\n');
    const stdout = execFileSync(process.execPath, ['-e', script], { cwd: x64.bundle, env: { PATH: process.env.PATH ?? '' } }).toString();
    expect(JSON.parse(stdout)).toEqual({ arch: 'x64', y: [2, 4, 6] });
  });

  test('takes parameters from context: arm64 ships the arm64 binaries, thresholds reach the alarms and the gate the job', () => {
    const arm = synth({ architecture: 'arm64', alarmAnomalyRatePercent: '9', gateMaxLoss: '0.7', preloadModels: 'sensors,ward-7' });
    arm.template.hasResourceProperties('AWS::Lambda::Function', { Architectures: ['arm64'], Runtime: 'nodejs24.x' });
    arm.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PRELOAD_MODELS: 'sensors,ward-7' }) },
    });
    const binaries = files(arm.bundle).filter((f) => f.file.includes('/bin/')).map((f) => f.file);
    expect(binaries.length).toBeGreaterThanOrEqual(2);
    expect(binaries.every((f) => /\/linux\/arm64\//.test(f))).toBe(true);
    const size = files(arm.bundle).reduce((sum, f) => sum + f.size, 0);
    process.stdout.write(`arm64 Lambda bundle: ${(size / 1048576).toFixed(1)} MiB unzipped\n`);
    const anomaly =
      arm.template.toJSON().Resources[arm.stack.getLogicalId(arm.stack.observability.anomalyRateAlarm.node.defaultChild as never)]
        .Properties;
    expect(anomaly.Threshold).toBe(9);
    const training = stateMachineDefinition(
      arm.template.toJSON().Resources[arm.stack.getLogicalId(arm.stack.orchestration.trainingStateMachine.node.defaultChild as never)]
        .Properties.DefinitionString,
    );
    expect((training.States.TrainOnGpu.Parameters as { ContainerOverrides: { Environment: unknown[] } }).ContainerOverrides.Environment)
      .toContainEqual({ Name: 'RESIDUAL_GATE_MAX_LOSS', Value: '0.7' });
  });
});
