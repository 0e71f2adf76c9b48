import { Template } from 'aws-cdk-lib/assertions';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Orchestration, OrchestrationProps } from '../../infra/constructs/orchestration';
import { Storage } from '../../infra/constructs/storage';
import { InfraConfigError } from '../../infra/errors';
import { acknowledgements, emptyStack, nagFindings, stateMachineDefinition, staleAcknowledgements, testApp } from './helpers';

function build(stack = emptyStack(), overrides: Partial<OrchestrationProps> = {}) {
  const storage = new Storage(stack, 'Storage');
  const queue = (name: string) => batch.JobQueue.fromJobQueueArn(stack, `${name}Queue`, `arn:aws:batch:eu-west-1:123456789012:job-queue/${name}`);
  const jobDef = (name: string) => batch.EcsJobDefinition.fromJobDefinitionArn(stack, `${name}Job`, `arn:aws:batch:eu-west-1:123456789012:job-definition/${name}:1`);
  const fn = new lambda.Function(stack, 'Scorer', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
  const orchestration = new Orchestration(stack, 'Orchestration', {
    gpuQueue: queue('gpu'), gpuJobDefinition: jobDef('gpu'), cpuQueue: queue('cpu'), cpuJobDefinition: jobDef('cpu'),
    rawBucket: storage.rawBucket, resultsBucket: storage.resultsBucket, modelsBucket: storage.modelsBucket, scoringFunction: fn,
    validationMetric: 'auc', validationFloor: 0.8, backfillConcurrency: 7, backfillToleratedFailurePercent: 3,
    ...overrides,
  });
  return { stack, storage, orchestration, fn };
}

const { stack, storage, orchestration, fn } = build();
const template = Template.fromStack(stack);
const ref = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
const definition = (machine: { node: { defaultChild?: unknown } }) => stateMachineDefinition(template.toJSON().Resources[ref(machine)].Properties.DefinitionString);
const training = definition(orchestration.trainingStateMachine);
const backfill = definition(orchestration.backfillStateMachine);
const models = `\${${ref(storage.modelsBucket)}}`;
type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
const roleStatements = (machine: { role: { node: { defaultChild?: unknown } } }) => Object.values(template.findResources('AWS::IAM::Policy'))
  .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === ref(machine.role)))
  .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);

describe('Orchestration: training', () => {
  test('runs the Batch job to completion on the GPU queue by default and on Fargate when compute is cpu', () => {
    const gpu = training.States.TrainOnGpu;
    expect(gpu.Resource).toBe('arn:${AWS::Partition}:states:::batch:submitJob.sync');
    expect(gpu.Parameters).toMatchObject({ JobQueue: 'arn:aws:batch:eu-west-1:123456789012:job-queue/gpu', JobDefinition: 'arn:aws:batch:eu-west-1:123456789012:job-definition/gpu:1' });
    expect(training.States.SelectCompute).toMatchObject({ Choices: [{ Variable: '$.args.compute', StringEquals: 'cpu', Next: 'TrainOnCpu' }], Default: 'TrainOnGpu' });
    expect(training.States.TrainOnCpu.Parameters).toMatchObject({ JobQueue: 'arn:aws:batch:eu-west-1:123456789012:job-queue/cpu' });
  });

  test('passes the job its data, model, version (the execution name), epochs and gate', () => {
    const env = (training.States.TrainOnGpu.Parameters as { ContainerOverrides: { Environment: Array<Record<string, string>> } }).ContainerOverrides.Environment;
    expect(env).toEqual([
      { 'Name': 'DATA_URI', 'Value.$': '$.args.dataUri' },
      { 'Name': 'MODEL_KIND', 'Value.$': '$.args.modelKind' },
      { 'Name': 'MODEL_NAME', 'Value.$': '$.args.modelName' },
      { 'Name': 'MODEL_VERSION', 'Value.$': '$$.Execution.Name' },
      { 'Name': 'EPOCHS', 'Value.$': "States.Format('{}', $.args.epochs)" },
      { Name: 'VALIDATION_METRIC', Value: 'auc' },
      { Name: 'VALIDATION_GATE', Value: '0.8' },
    ]);
  });

  test('fills in default epochs and GPU compute', () => {
    expect(training.States.Defaults).toMatchObject({ Result: { epochs: 50, compute: 'gpu' }, ResultPath: '$.defaults' });
    expect(training.States.ApplyDefaults).toMatchObject({ Parameters: { 'args.$': 'States.JsonMerge($.defaults, $, false)' } });
  });

  test('rejects input without modelName, modelKind and dataUri', () => {
    expect(training.StartAt).toBe('ValidateTrainingInput');
    expect(training.States.ValidateTrainingInput.Default).toBe('InvalidTrainingInput');
    expect(training.States.InvalidTrainingInput.Type).toBe('Fail');
  });

  test('evaluates the manifest the job wrote for this version', () => {
    expect(training.States.TrainOnGpu.Next).toBe('ReadManifest');
    expect(training.States.TrainOnCpu.Next).toBe('ReadManifest');
    expect(training.States.ReadManifest).toMatchObject({
      Resource: 'arn:${AWS::Partition}:states:::aws-sdk:s3:getObject',
      Parameters: { 'Bucket': models, 'Key.$': "States.Format('models/{}/{}/manifest.json', $.args.modelName, $$.Execution.Name)" },
      ResultSelector: { 'manifest.$': 'States.StringToJson($.Body)' },
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'ManifestUnreadable' }],
    });
  });

  test('fails below the validation floor without moving LATEST', () => {
    const v = '$.evaluation.manifest.metrics.validation.auc';
    expect(training.States.MeetsValidationFloor).toEqual({
      Type: 'Choice',
      Choices: [{ And: [{ Variable: v, IsPresent: true }, { Variable: v, IsNumeric: true }, { Variable: v, NumericGreaterThanEquals: 0.8 }], Next: 'PublishLatest' }],
      Default: 'BelowValidationFloor',
    });
    expect(training.States.BelowValidationFloor).toMatchObject({ Type: 'Fail', Error: 'BelowValidationFloor' });
  });

  test('publishes by writing the version into models/<name>/LATEST', () => {
    expect(training.States.PublishLatest).toMatchObject({
      Resource: 'arn:${AWS::Partition}:states:::aws-sdk:s3:putObject',
      Parameters: { 'Bucket': models, 'Key.$': "States.Format('models/{}/LATEST', $.args.modelName)", 'Body.$': '$$.Execution.Name', 'ContentType': 'text/plain' },
      Next: 'Published',
    });
  });

  test('may read only manifests and write only LATEST in the models bucket', () => {
    const s3 = roleStatements(orchestration.trainingStateMachine).filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
    const arnOf = (suffix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [ref(storage.modelsBucket), 'Arn'] }, suffix]] });
    expect(s3).toEqual([
      { Action: 's3:GetObject', Effect: 'Allow', Resource: arnOf('/models/*/manifest.json') },
      { Action: 's3:PutObject', Effect: 'Allow', Resource: arnOf('/models/*/LATEST') },
    ]);
  });
});

describe('Orchestration: backfill', () => {
  const map = backfill.States.ScoreEachObject as unknown as Record<string, unknown> & { ItemProcessor: { ProcessorConfig: unknown; States: Record<string, Record<string, unknown>> } };

  test('accepts only prefixes under incoming/', () => {
    expect(backfill.States.ValidatePrefix).toMatchObject({
      Choices: [{ And: [{ Variable: '$.prefix', IsString: true }, { Variable: '$.prefix', StringMatches: 'incoming/*' }], Next: 'ScoreEachObject' }],
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

  test('scores only the supported suffixes and skips the rest', () => {
    const choice = map.ItemProcessor.States.SupportedSuffix as { Choices: Array<{ Or: Array<{ StringMatches: string }> }>; Default: string };
    expect(choice.Choices[0].Or.map((c) => c.StringMatches)).toEqual(['*.csv', '*.csv.gz', '*.jsonl', '*.jsonl.gz', '*.parquet']);
    expect(choice.Default).toBe('SkipUnsupported');
  });

  test('retries throttled invocations with jittered backoff', () => {
    expect(map.ItemProcessor.States.ScoreObject.Retry).toEqual(expect.arrayContaining([
      { ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 2, MaxAttempts: 8, BackoffRate: 2, JitterStrategy: 'FULL' },
    ]));
  });

  test('may list only incoming/ and write only backfill/', () => {
    const s3 = roleStatements(orchestration.backfillStateMachine).filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
    expect(s3).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': [ref(storage.rawBucket), 'Arn'] }, Condition: { StringLike: { 's3:prefix': ['incoming/*'] } } }),
      expect.objectContaining({ Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [ref(storage.resultsBucket), 'Arn'] }, '/backfill/*']] } }),
    ]));
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

  test('refuse a validation metric that is not a plain name', () => {
    expect(() => build(emptyStack(testApp(), 'BadMetric'), { validationMetric: 'auc; drop' })).toThrow(InfraConfigError);
  });
});
