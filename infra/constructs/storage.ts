import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PREFIXES } from '../layout';

export interface StorageProps {
  /**
   * How long a scored output stays under `results/` (moved to Standard-IA after 30 days when longer than 60).
   * @default Duration.days(365)
   */
  readonly resultsRetention?: Duration;
  /**
   * How long an unprocessable input stays under `quarantine/`.
   * @default Duration.days(30)
   */
  readonly quarantineRetention?: Duration;
  /**
   * How long a replaced (non-current) version of a raw input or model file is kept.
   * @default - 30 days for raw inputs, 90 days for model files
   */
  readonly noncurrentVersionRetention?: Duration;
  /**
   * What deleting the stack does to the buckets, which hold the users' data and models.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The three buckets of SPEC.md's S3 layout plus a server-access-log bucket.
 * Every bucket: public access blocked, TLS only, SSE-S3 (AES-256), object ownership enforced.
 * SSE-S3 rather than SSE-KMS: it costs nothing at rest or per request, server access logs can only be
 * delivered to an SSE-S3 bucket, and S3 → SQS notifications and Step Functions need no key grants; the
 * data never leaves S3's encryption and access is controlled by the prefix-scoped IAM of each role.
 */
export class Storage extends Construct {
  /** Input objects; `incoming/` triggers scoring, `training/` holds training data. Versioned. */
  readonly rawBucket: s3.Bucket;
  /** Outputs: `results/`, `quarantine/`, `backfill/`. Never notifies, so outputs cannot re-trigger scoring. */
  readonly resultsBucket: s3.Bucket;
  /** Model artifacts under `models/<name>/<version>/` and `models/<name>/LATEST`. Versioned. */
  readonly modelsBucket: s3.Bucket;
  /** Server access logs of the three buckets (and VPC flow logs under `vpc-flow-logs/`). */
  readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: StorageProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const noncurrent = props.noncurrentVersionRetention ?? Duration.days(30);
    const resultsRetention = props.resultsRetention ?? Duration.days(365);
    const common = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
    };

    // The log destination does not log itself (cdk-nag S1 recognises a bucket that receives access logs).
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      ...common,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(365) }],
    });
    const logs = (prefix: string) => ({ serverAccessLogsBucket: this.accessLogsBucket, serverAccessLogsPrefix: `${prefix}/` });

    this.rawBucket = new s3.Bucket(this, 'RawBucket', {
      ...common,
      ...logs('raw'),
      versioned: true,
      lifecycleRules: [
        { id: 'expire-noncurrent', noncurrentVersionExpiration: noncurrent },
        { id: 'abort-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });

    this.resultsBucket = new s3.Bucket(this, 'ResultsBucket', {
      ...common,
      ...logs('results'),
      lifecycleRules: [
        {
          id: 'results-retention',
          prefix: PREFIXES.results,
          expiration: resultsRetention,
          transitions: resultsRetention.toDays() > 60
            ? [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }]
            : undefined,
        },
        { id: 'quarantine-retention', prefix: PREFIXES.quarantine, expiration: props.quarantineRetention ?? Duration.days(30) },
        { id: 'backfill-manifests', prefix: PREFIXES.backfill, expiration: Duration.days(90) },
        // A scoring run killed mid-upload leaves parts that are billed until aborted.
        { id: 'abort-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });

    this.modelsBucket = new s3.Bucket(this, 'ModelsBucket', {
      ...common,
      ...logs('models'),
      versioned: true,
      lifecycleRules: [{ id: 'expire-noncurrent', noncurrentVersionExpiration: props.noncurrentVersionRetention ?? Duration.days(90) }],
    });
  }
}
