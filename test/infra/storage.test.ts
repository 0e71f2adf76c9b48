import { Match, Template } from 'aws-cdk-lib/assertions';
import { Storage } from '../../infra/constructs/storage';
import { acknowledgements, emptyStack, nagFindings } from './helpers';

const stack = emptyStack();
const storage = new Storage(stack, 'Storage');
const template = Template.fromStack(stack);
const id = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);
const bucket = (b: typeof storage.rawBucket) => template.toJSON().Resources[id(b)].Properties;
const all = [storage.rawBucket, storage.resultsBucket, storage.modelsBucket, storage.accessLogsBucket];
const data = [storage.rawBucket, storage.resultsBucket, storage.modelsBucket];

describe('Storage', () => {
  test('creates the raw, results and models buckets and an access-log bucket', () => {
    template.resourceCountIs('AWS::S3::Bucket', 4);
  });

  test('blocks all public access on every bucket', () => {
    for (const b of all) {
      expect(bucket(b).PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
      });
    }
  });

  test('denies non-TLS requests on every bucket', () => {
    for (const b of all) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id(b) },
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    }
  });

  test('encrypts every bucket with SSE-S3', () => {
    for (const b of all) {
      expect(bucket(b).BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    }
  });

  test('versions the raw and models buckets but not results', () => {
    expect(bucket(storage.rawBucket).VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket(storage.modelsBucket).VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket(storage.resultsBucket).VersioningConfiguration).toBeUndefined();
  });

  test('expires results/ and quarantine/ by lifecycle rules', () => {
    const rules = bucket(storage.resultsBucket).LifecycleConfiguration.Rules as Array<{ Prefix?: string; ExpirationInDays?: number }>;
    expect(rules.find((r) => r.Prefix === 'results/')?.ExpirationInDays).toBe(365);
    expect(rules.find((r) => r.Prefix === 'quarantine/')?.ExpirationInDays).toBe(30);
  });

  test('aborts incomplete multipart uploads in the results bucket', () => {
    const rules = bucket(storage.resultsBucket).LifecycleConfiguration.Rules as Array<{
      AbortIncompleteMultipartUpload?: { DaysAfterInitiation: number };
    }>;
    expect(rules.some((r) => r.AbortIncompleteMultipartUpload?.DaysAfterInitiation === 1)).toBe(true);
  });

  test('logs access to each data bucket in the access-log bucket under its own prefix', () => {
    for (const [b, prefix] of [
      [storage.rawBucket, 'raw/'],
      [storage.resultsBucket, 'results/'],
      [storage.modelsBucket, 'models/'],
    ] as const) {
      expect(bucket(b).LoggingConfiguration).toEqual({
        DestinationBucketName: { Ref: id(storage.accessLogsBucket) },
        LogFilePrefix: prefix,
      });
    }
  });

  test('retains data buckets when the stack is deleted', () => {
    for (const b of data) expect(template.toJSON().Resources[id(b)].DeletionPolicy).toBe('Retain');
  });

  test('sets no event notification on any bucket by itself', () => {
    for (const b of all) expect(bucket(b).NotificationConfiguration).toBeUndefined();
    template.resourceCountIs('Custom::S3BucketNotifications', 0);
  });

  test('passes cdk-nag AwsSolutions', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('needs no cdk-nag acknowledgement', () => {
    expect(acknowledgements(stack)).toEqual([]);
  });
});
