/**
 * CDK feature flags the stack depends on, set by the app and by the tests alike (so a test App
 * synthesizes what `cdk synth` does).
 */
export const FEATURE_FLAGS: Readonly<Record<string, boolean>> = {
  // Grant S3 log delivery through a bucket policy instead of the legacy LogDeliveryWrite ACL,
  // which BUCKET_OWNER_ENFORCED ownership forbids.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/aws-s3:createDefaultLoggingPolicy': true,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  // Without it DistributedMap silently drops `resultWriterV2` and writes no result manifest.
  '@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2': true,
  '@aws-cdk/core:enablePartitionLiterals': true,
};
