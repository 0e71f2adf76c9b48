import { Template } from 'aws-cdk-lib/assertions';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Orchestration, OrchestrationProps } from '../../infra/constructs/orchestration';
import { Storage } from '../../infra/constructs/storage';
import { InfraConfigError } from '../../infra/errors';
import { failTask, succeedTask, taskParameters, walk } from './asl';
import { acknowledgements, emptyStack, nagFindings, stateMachineDefinition, staleAcknowledgements, testApp } from './helpers';

function build(stack = emptyStack(), overrides: Partial<OrchestrationProps> = {}) {
  const storage = new Storage(stack, 'Storage');
  const queue = (name: string) =>
    batch.JobQueue.fromJobQueueArn(stack, `${name}Queue`, `arn:aws:batch:eu-west-1:123456789012:job-queue/${name}`);
  const jobDef = (name: string) =>
    batch.EcsJobDefinition.fromJobDefinitionArn(stack, `${name}Job`, `arn:aws:batch:eu-west-1:123456789012:job-definition/${name}:1`);
  const fn = new lambda.Function(stack, 'Scorer', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {}'),
  });
  const orchestration = new Orchestration(stack, 'Orchestration', {
    gpuQueue: queue('gpu'), gpuJobDefinition: jobDef('gpu'), cpuQueue: queue('cpu'), cpuJobDefinition: jobDef('cpu'),
    rawBucket: storage.rawBucket, resultsBucket: storage.resultsBucket, modelsBucket: storage.modelsBucket, scoringFunction: fn,
    gateMaxLoss: 0.8, gateMaxAnomalyRate: 0.1, gateMaxRegression: 0.5, backfillConcurrency: 7, backfillToleratedFailurePercent: 3,
    ...overrides,
  });
  return { stack, storage, orchestration, fn };
}

const { stack, storage, orchestration, fn } = build();
const template = Template.fromStack(stack);
const ref = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
const definition = (machine: { node: { defaultChild?: unknown } }) =>
  stateMachineDefinition(template.toJSON().Resources[ref(machine)].Properties.DefinitionString);
const training = definition(orchestration.trainingStateMachine);
const backfill = definition(orchestration.backfillStateMachine);
const models = `\${${ref(storage.modelsBucket)}}`;
type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
const roleStatements = (machine: { role: { node: { defaultChild?: unknown } } }) =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === ref(machine.role)))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);

const context = { executionName: 'v20250101-120000' };
const start = (input: Record<string, unknown>) => walk(training, training.StartAt, input as never, context);
const minimal = { modelName: 'sensors', modelKind: 'dense-ae', dataUri: 's3://raw/training/sensors/a.csv' };
/** The environment the Batch job would get for `input` (the task's ContainerOverrides, resolved). */
const jobEnvironment = (input: Record<string, unknown>) => {
  const stop = start(input);
  const params = taskParameters(training, stop, context) as { ContainerOverrides: { Environment: Array<{ Name: string; Value: string }> } };
  return Object.fromEntries(params.ContainerOverrides.Environment.map((e) => [e.Name, e.Value]));
};
/** Walks to the verdict read: the job ran and exited 0. */
const atVerdict = () => succeedTask(training, start(minimal), { JobId: 'job-1' }, context);
const verdictBody = (verdict: object) => ({ Body: JSON.stringify(verdict) });

describe('Orchestration: training', () => {
  test('runs the Batch job to completion on the GPU queue by default and on Fargate when compute is cpu', () => {
    const gpu = training.States.TrainOnGpu;
    expect(gpu.Resource).toBe('arn:${AWS::Partition}:states:::batch:submitJob.sync');
    expect(gpu.Parameters).toMatchObject({
      JobQueue: 'arn:aws:batch:eu-west-1:123456789012:job-queue/gpu',
      JobDefinition: 'arn:aws:batch:eu-west-1:123456789012:job-definition/gpu:1',
    });
    expect(start(minimal).state).toBe('TrainOnGpu');
    expect(start({ ...minimal, compute: 'cpu' }).state).toBe('TrainOnCpu');
    expect(training.States.TrainOnCpu.Parameters).toMatchObject({ JobQueue: 'arn:aws:batch:eu-west-1:123456789012:job-queue/cpu' });
  });

  test('passes the job its data, kind, name, models location and version (the execution name) under the job\'s variable names', () => {
    expect(jobEnvironment(minimal)).toMatchObject({
      RESIDUAL_DATA_URI: 's3://raw/training/sensors/a.csv',
      RESIDUAL_MODEL_KIND: 'dense-ae',
      RESIDUAL_MODEL_NAME: 'sensors',
      RESIDUAL_MODELS_URI: `s3://${models}`,
      RESIDUAL_MODEL_VERSION: 'v20250101-120000',
    });
  });

  test('passes the gate limits and publish=false, so that the job leaves LATEST to the state machine', () => {
    expect(jobEnvironment(minimal)).toMatchObject({
      RESIDUAL_GATE_MAX_LOSS: '0.8', RESIDUAL_GATE_MAX_ANOMALY_RATE: '0.1', RESIDUAL_GATE_MAX_REGRESSION: '0.5', RESIDUAL_PUBLISH: 'false',
    });
  });

  test('passes the input config as RESIDUAL_TRAIN_CONFIG JSON with the input epochs folded in', () => {
    const config = { window: 32, stride: 4, columns: ['a', 'b'], threshold: 'percentile:99.5', model: { latent: 4 } };
    const env = jobEnvironment({ ...minimal, epochs: 7, config: { ...config, epochs: 3 } });
    expect(JSON.parse(env.RESIDUAL_TRAIN_CONFIG!)).toEqual({ ...config, epochs: 7 });
  });

  test('keeps config.epochs when the input has no epochs, and uses the default epochs when neither has', () => {
    expect(JSON.parse(jobEnvironment({ ...minimal, config: { epochs: 3 } }).RESIDUAL_TRAIN_CONFIG!)).toEqual({ epochs: 3 });
    expect(JSON.parse(jobEnvironment(minimal).RESIDUAL_TRAIN_CONFIG!)).toEqual({ epochs: 50 });
  });

  test('rejects input without modelName, modelKind and dataUri, with non-numeric epochs or a non-object config', () => {
    expect(training.StartAt).toBe('ValidateTrainingInput');
    for (const bad of [
      {},
      { ...minimal, modelName: undefined },
      { ...minimal, dataUri: 3 },
      { ...minimal, epochs: '10' },
      { ...minimal, config: 'x.json' },
      { ...minimal, config: null },
    ]) {
      expect(start(bad)).toMatchObject({ state: 'InvalidTrainingInput', type: 'Fail', error: 'InvalidInput' });
    }
  });

  test('reads the gate verdict the job wrote for this version', () => {
    const stop = atVerdict();
    expect(stop.state).toBe('ReadGateVerdict');
    expect(training.States.ReadGateVerdict.Resource).toBe('arn:${AWS::Partition}:states:::aws-sdk:s3:getObject');
    expect(taskParameters(training, stop, context)).toEqual({ Bucket: models, Key: 'models/sensors/v20250101-120000/gate.json' });
  });

  test('goes on to the verdict when the job exits 2 (trained, LATEST not moved)', () => {
    const cause = JSON.stringify({ Status: 'FAILED', Container: { ExitCode: 2 }, StatusReason: 'Essential container in task exited' });
    expect(failTask(training, start(minimal), 'States.TaskFailed', cause, context).state).toBe('ReadGateVerdict');
  });

  test('fails with the Batch cause when the job crashes or cannot run', () => {
    for (const cause of [
      JSON.stringify({ Status: 'FAILED', Container: { ExitCode: 1 } }),
      JSON.stringify({ Status: 'FAILED', StatusReason: 'Host EC2 terminated' }),
      'AccessDenied',
    ]) {
      expect(failTask(training, start(minimal), 'States.TaskFailed', cause, context)).toEqual(
        expect.objectContaining({ state: 'TrainingJobFailed', error: 'States.TaskFailed', cause }),
      );
    }
  });

  test('publishes by writing the version into models/<name>/LATEST when the verdict passed', () => {
    const stop = succeedTask(
      training,
      atVerdict(),
      verdictBody({ version: 'v20250101-120000', passed: true, reasons: [], gate: {}, previous: null }),
      context,
    );
    expect(stop.state).toBe('PublishLatest');
    expect(training.States.PublishLatest.Resource).toBe('arn:${AWS::Partition}:states:::aws-sdk:s3:putObject');
    expect(taskParameters(training, stop, context)).toEqual({
      Bucket: models,
      Key: 'models/sensors/LATEST',
      Body: 'v20250101-120000',
      ContentType: 'text/plain',
    });
    expect(succeedTask(training, stop, {}, context).type).toBe('Succeed');
  });

  test('fails with the job\'s reasons, without moving LATEST, when the verdict did not pass', () => {
    const reasons = ['validation loss 1.7 > maxValidationLoss 0.8', 'validation anomaly rate 0.3 > maxAnomalyRate 0.1'];
    const stop = succeedTask(
      training,
      atVerdict(),
      verdictBody({ version: 'v20250101-120000', passed: false, reasons, gate: {}, previous: 'v1' }),
      context,
    );
    expect(stop).toMatchObject({ state: 'ValidationGateFailed', type: 'Fail', error: 'ValidationGateFailed' });
    expect(stop.cause).toContain('v20250101-120000');
    expect(stop.cause).toContain(JSON.stringify(reasons));
  });

  test('does not publish a verdict whose passed is not the boolean true', () => {
    for (const passed of ['true', 1, undefined]) {
      expect(succeedTask(training, atVerdict(), verdictBody({ version: 'v', passed, reasons: ['?'] }), context).state).toBe(
        'ValidationGateFailed',
      );
    }
  });

  test('fails when gate.json cannot be read', () => {
    expect(failTask(training, atVerdict(), 'S3.NoSuchKeyException', 'not found', context)).toMatchObject({
      state: 'GateVerdictUnreadable',
      type: 'Fail',
    });
  });

  test('may read only gate verdicts and write only LATEST in the models bucket', () => {
    const s3 = roleStatements(orchestration.trainingStateMachine).filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
    const arnOf = (suffix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [ref(storage.modelsBucket), 'Arn'] }, suffix]] });
    expect(s3).toEqual([
      { Action: 's3:GetObject', Effect: 'Allow', Resource: arnOf('/models/*/gate.json') },
      { Action: 's3:PutObject', Effect: 'Allow', Resource: arnOf('/models/*/LATEST') },
    ]);
  });
});

describe('Orchestration: backfill', () => {
  type ItemProcessor = { ProcessorConfig: unknown; StartAt: string; States: Record<string, Record<string, unknown>> };
  const map = backfill.States.ScoreEachObject as unknown as Record<string, unknown> & { ItemProcessor: ItemProcessor };

  test('accepts only prefixes under incoming/', () => {
    expect(backfill.States.ValidatePrefix).toMatchObject({
      Choices: [
        {
          And: [
            { Variable: '$.prefix', IsString: true },
            { Variable: '$.prefix', StringMatches: 'incoming/*' },
          ],
          Next: 'ScoreEachObject',
        },
      ],
      Default: 'PrefixOutsideIncoming',
    });
  });

  test('is a Distributed Map over the objects listed under the prefix', () => {
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(map.ItemReader).toEqual({
      Resource: 'arn:${AWS::Partition}:states:::s3:listObjectsV2',
      Parameters: { 'Bucket': `\${${ref(storage.rawBucket)}}`, 'Prefix.$': '$.prefix' },
    });
  });

  test('bounds concurrency and tolerates the configured failure percentage', () => {
    expect(map).toMatchObject({ MaxConcurrency: 7, ToleratedFailurePercentage: 3 });
  });

  test('writes its results to the results bucket under backfill/', () => {
    expect(map.ResultWriter).toEqual({
      Resource: 'arn:${AWS::Partition}:states:::s3:putObject',
      Parameters: { Bucket: `\${${ref(storage.resultsBucket)}}`, Prefix: 'backfill/' },
    });
  });

  test('hands each object to the scoring function as an EventBridge Object Created event', () => {
    expect(map.ItemSelector).toEqual({
      'version': '0', 'source': 'aws.s3', 'detail-type': 'Object Created',
      'detail': {
        bucket: { name: `\${${ref(storage.rawBucket)}}` },
        object: { 'key.$': '$$.Map.Item.Value.Key', 'size.$': '$$.Map.Item.Value.Size', 'etag.$': '$$.Map.Item.Value.Etag' },
        reason: 'Backfill',
      },
    });
    expect(map.ItemProcessor.States.ScoreObject.Resource).toBe(`\${${ref(fn)}.Arn}`);
  });

  test('sends every listed object to the function, which scores, ignores or quarantines it (no case-sensitive suffix filter)', () => {
    expect(map.ItemProcessor.StartAt).toBe('ScoreObject');
    expect(Object.keys(map.ItemProcessor.States)).toEqual(['ScoreObject']);
  });

  test('retries throttled invocations with jittered backoff', () => {
    expect(map.ItemProcessor.States.ScoreObject.Retry).toEqual(expect.arrayContaining([
      { ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 2, MaxAttempts: 8, BackoffRate: 2, JitterStrategy: 'FULL' },
    ]));
  });

  test('may list only incoming/ and write only backfill/', () => {
    const s3 = roleStatements(orchestration.backfillStateMachine).filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
    expect(s3).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: 's3:ListBucket',
          Resource: { 'Fn::GetAtt': [ref(storage.rawBucket), 'Arn'] },
          Condition: { StringLike: { 's3:prefix': ['incoming/*'] } },
        }),
        expect.objectContaining({ Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [ref(storage.resultsBucket), 'Arn'] }, '/backfill/*']] } }),
      ]),
    );
    expect(s3).toHaveLength(2);
  });
});

describe('Orchestration: both machines', () => {
  test('log every event without execution data and trace with X-Ray', () => {
    for (const machine of [orchestration.trainingStateMachine, orchestration.backfillStateMachine]) {
      const props = template.toJSON().Resources[ref(machine)].Properties;
      expect(props.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
      expect(props.TracingConfiguration).toEqual({ Enabled: true });
    }
  });

  test('pass cdk-nag AwsSolutions (the stand-in scoring function is not under test)', () => {
    expect(nagFindings(orchestration)).toEqual([]);
  });

  test('acknowledge each wildcard on the machine role or policy it excuses, with a reason, and none in vain', () => {
    const acks = acknowledgements(stack);
    expect(acks.length).toBeGreaterThanOrEqual(6);
    for (const a of acks) {
      expect(a.path.startsWith('Test/Orchestration/')).toBe(true);
      expect(a.reason.length).toBeGreaterThan(20);
    }
    expect(staleAcknowledgements(stack)).toEqual([]);
  });

  test('refuse a gate limit that is negative, not finite, or an anomaly rate above 1', () => {
    const app = testApp();
    expect(() => build(emptyStack(app, 'NegativeLoss'), { gateMaxLoss: -1 })).toThrow(InfraConfigError);
    expect(() => build(emptyStack(app, 'NaNRegression'), { gateMaxRegression: Number.NaN })).toThrow(/'gateMaxRegression'/);
    expect(() => build(emptyStack(app, 'RateAboveOne'), { gateMaxAnomalyRate: 1.5 })).toThrow(
      /'gateMaxAnomalyRate' must be a number from 0 to 1, got 1.5/,
    );
  });
});
