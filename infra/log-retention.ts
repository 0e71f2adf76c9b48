import { CfnResource, IAspect, RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { InfraConfigError } from './errors';

/** The retention periods CloudWatch Logs accepts, in days (RetentionDays without INFINITE). */
export const LOG_RETENTION_DAYS: readonly number[] = Object.values(logs.RetentionDays)
  .filter((d): d is number => typeof d === 'number' && d !== logs.RetentionDays.INFINITE)
  .sort((a, b) => a - b);

/** The RetentionDays of a day count CloudWatch Logs accepts; throws InfraConfigError naming `key` otherwise. */
export function retentionDays(key: string, days: number): logs.RetentionDays {
  if (!LOG_RETENTION_DAYS.includes(days)) throw new InfraConfigError(key, days, `must be one of ${LOG_RETENTION_DAYS.join(', ')}`);
  return days as logs.RetentionDays;
}

/** A Lambda function's `LoggingConfig.LogGroup`, set through L1 props (CfnFunction), CfnResource properties or an override. */
function configuredLogGroup(fn: CfnResource): unknown {
  type Logging = { LoggingConfig?: { LogGroup?: unknown }; loggingConfig?: { logGroup?: unknown } };
  // `cfnProperties` is CfnResource's protected view of the properties it will render (camelCase on L1 classes).
  const props = (fn as unknown as { cfnProperties?: Logging }).cfnProperties;
  const overrides = (fn as unknown as { rawOverrides?: { Properties?: Logging } }).rawOverrides;
  return props?.LoggingConfig?.LogGroup ?? props?.loggingConfig?.logGroup ?? overrides?.Properties?.LoggingConfig?.LogGroup;
}

/**
 * Gives every `AWS::Lambda::Function` in its scope that has no log group of its own one that expires after
 * `retention`: CDK's custom-resource handlers (bucket notifications, auto-delete objects, the VPC's default
 * security group) are CfnResources that would otherwise log to a `/aws/lambda/...` group kept forever.
 * Their roles carry AWSLambdaBasicExecutionRole, which may write to any log group.
 */
export class RetainFunctionLogs implements IAspect {
  constructor(private readonly retention: logs.RetentionDays) {}

  visit(node: IConstruct): void {
    if (!(node instanceof CfnResource) || node.cfnResourceType !== 'AWS::Lambda::Function') return;
    if (configuredLogGroup(node) !== undefined) return;
    const parent = node.node.scope as Construct;
    const logGroup = new logs.LogGroup(parent, `${node.node.id}LogGroup`, {
      retention: this.retention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    node.addPropertyOverride('LoggingConfig.LogGroup', logGroup.logGroupName);
  }
}
