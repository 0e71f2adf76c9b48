import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Scoring } from '../../infra/constructs/scoring';
import { Storage } from '../../infra/constructs/storage';
import { InfraConfigError, MissingAssetError } from '../../infra/errors';
import { acknowledgements, emptyStack, nagFindings, placeholderHandler, staleAcknowledgements, testApp } from './helpers';

const handler = placeholderHandler();
const stack = emptyStack();
const storage = new Storage(stack, 'Storage');
const bucketsOf = (st: Storage) => ({ rawBucket: st.rawBucket, resultsBucket: st.resultsBucket, modelsBucket: st.modelsBucket });
const buckets = bucketsOf(storage);
const scoring = new Scoring(stack, 'Scoring', {
  ...buckets,
  ...handler,
  timeout: Duration.minutes(4),
  reservedConcurrency: 12,
  queueMaxConcurrency: 8,
  maxReceiveCount: 4,
});
const template = Template.fromStack(stack);
const ref = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
const arn = (c: { node: { defaultChild?: unknown } }) => ({ 'Fn::GetAtt': [ref(c), 'Arn'] });
const objects = (c: { node: { defaultChild?: unknown } }, prefix: string) => ({ 'Fn::Join': ['', [arn(c), `/${prefix}*`]] });

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const statements: Statement[] = Object.values(template.findResources('AWS::IAM::Policy'))
  .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
const scoringStatements = Object.values(template.findResources('AWS::IAM::Policy'))
  .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref.startsWith('ScoringRole')))
  .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
const bySid = (sid: string) => scoringStatements.find((s) => s.Sid === sid);

describe('Scoring', () => {
  test('notifies the queue of every object created under incoming/, whatever its extension or case', () => {
    const notification = template.findResources('Custom::S3BucketNotifications');
    const [config] = Object.values(notification);
    expect(config.Properties.BucketName).toEqual({ Ref: ref(storage.rawBucket) });
    const filters = (
      config.Properties.NotificationConfiguration.QueueConfigurations as Array<{
        Events: string[];
        Filter: { Key: { FilterRules: Array<{ Name: string; Value: string }> } };
      }>
    ).map((q) => ({ events: q.Events, rules: q.Filter.Key.FilterRules }));
    // S3 suffix filters are case-sensitive: `.CSV`, `.Parquet` or `.txt` must still reach the handler to be scored or quarantined.
    expect(filters).toEqual([{ events: ['s3:ObjectCreated:*'], rules: [{ Name: 'prefix', Value: 'incoming/' }] }]);
  });

  test('gives the function no write access to the raw bucket, so nothing it writes can trigger it', () => {
    const writes = scoringStatements.filter((s) => [s.Action].flat().some((a) => /^s3:(Put|\*)/.test(a)));
    expect(writes.length).toBeGreaterThan(0);
    for (const w of writes) expect(JSON.stringify(w.Resource)).not.toContain(ref(storage.rawBucket));
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', RecursiveLoop: 'Terminate' });
  });

  test('sets notifications on the raw bucket only, so outputs cannot trigger scoring', () => {
    const targets = Object.values(template.findResources('Custom::S3BucketNotifications')).map((r) => r.Properties.BucketName);
    expect(targets).toEqual([{ Ref: ref(storage.rawBucket) }]);
  });

  test('lets only S3 notifications from the raw bucket send to the queue', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: ref(scoring.queue) }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Action: Match.arrayWith(['sqs:SendMessage']), Principal: { Service: 's3.amazonaws.com' },
        Condition: { ArnLike: { 'aws:SourceArn': arn(storage.rawBucket) } },
      })]) },
    });
  });

  test('moves a message to the dead-letter queue after maxReceiveCount receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: arn(scoring.deadLetterQueue), maxReceiveCount: 4 },
    });
  });

  test('sets the visibility timeout to six times the function timeout', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 6 * 240, RedrivePolicy: Match.anyValue() });
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 240, Handler: 'index.handler' });
  });

  test('encrypts both queues and denies non-TLS access to them', () => {
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    for (const q of [scoring.queue, scoring.deadLetterQueue]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: ref(q) }],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    }
  });

  test('runs on nodejs24.x, x86_64 by default, with the configured reserved concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x', Architectures: ['x86_64'], ReservedConcurrentExecutions: 12, MemorySize: 2048,
    });
  });

  test('consumes the queue with partial batch failures and a bounded poller', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arn(scoring.queue),
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 8 },
    });
  });

  test('passes the bucket names and Powertools settings in the environment', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          RAW_BUCKET: { Ref: ref(storage.rawBucket) },
          RESULTS_BUCKET: { Ref: ref(storage.resultsBucket) },
          MODELS_BUCKET: { Ref: ref(storage.modelsBucket) },
          POWERTOOLS_SERVICE_NAME: 'residual-scoring',
          POWERTOOLS_METRICS_NAMESPACE: 'residual',
          LOG_LEVEL: 'INFO',
        },
      },
    });
  });

  test('reads only incoming/ objects of the raw bucket', () => {
    expect(bySid('ReadIncoming')).toMatchObject({
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: objects(storage.rawBucket, 'incoming/'),
    });
  });

  test('writes only results/ and quarantine/ of the results bucket', () => {
    const write = bySid('WriteOutputs')!;
    expect(write.Action).toEqual(['s3:AbortMultipartUpload', 's3:PutObject']);
    expect(write.Resource).toEqual(
      expect.arrayContaining([objects(storage.resultsBucket, 'results/'), objects(storage.resultsBucket, 'quarantine/')]),
    );
    expect(write.Resource).toHaveLength(2);
  });

  test('deletes only under results/ of the results bucket (stale error reports, partial results)', () => {
    expect(bySid('DeleteResults')).toMatchObject({ Action: 's3:DeleteObject', Resource: objects(storage.resultsBucket, 'results/') });
  });

  test('reads only models/ of the models bucket and lists only under models/', () => {
    expect(bySid('ReadModels')).toMatchObject({ Action: 's3:GetObject', Resource: objects(storage.modelsBucket, 'models/') });
    expect(bySid('ListModels')).toMatchObject({
      Action: 's3:ListBucket',
      Resource: arn(storage.modelsBucket),
      Condition: { StringLike: { 's3:prefix': ['models/*'] } },
    });
  });

  test('cannot write to the raw or models buckets at all', () => {
    const writes = scoringStatements.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:Put')));
    const text = JSON.stringify(writes.map((s) => s.Resource));
    expect(text).not.toContain(ref(storage.rawBucket));
    expect(text).not.toContain(ref(storage.modelsBucket));
  });

  test('grants no action on every resource', () => {
    expect(statements.filter((s) => s.Resource === '*')).toEqual([]);
  });

  test('passes cdk-nag AwsSolutions', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('acknowledges each wildcard on the policy it excuses, with a reason, and none in vain', () => {
    const acks = acknowledgements(stack);
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) expect(a.reason.length).toBeGreaterThan(20);
    expect(acks.filter((a) => a.id.startsWith('AwsSolutions-IAM5')).every((a) => a.path === 'Test/Scoring/Policy')).toBe(true);
    expect(staleAcknowledgements(stack)).toEqual([]);
  });

  test('selects arm64 when asked', () => {
    const armStack = emptyStack(testApp(), 'Arm');
    const s = new Storage(armStack, 'Storage');
    new Scoring(armStack, 'Scoring', { ...bucketsOf(s), ...handler, architecture: lambda.Architecture.ARM_64 });
    Template.fromStack(armStack).hasResourceProperties('AWS::Lambda::Function', { Architectures: ['arm64'] });
  });

  test('refuses a missing handler entry, naming the path', () => {
    const s = emptyStack(testApp(), 'Missing');
    const st = new Storage(s, 'Storage');
    expect(() => new Scoring(s, 'Scoring', { ...bucketsOf(st), entry: '/nope/score.ts' }))
      .toThrow(new MissingAssetError('/nope/score.ts', 'scoring handler entry'));
  });

  test('refuses a poller concurrency above the reserved concurrency', () => {
    const s = emptyStack(testApp(), 'Pollers');
    const st = new Storage(s, 'Storage');
    const props = { ...bucketsOf(st), ...handler, reservedConcurrency: 5, queueMaxConcurrency: 6 };
    expect(() => new Scoring(s, 'Scoring', props)).toThrow(InfraConfigError);
  });
});
