import { Stack, Validations } from 'aws-cdk-lib';
import { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';

/** One acknowledged cdk-nag finding: the rule id (optionally `[finding]`-qualified) and why it is acceptable. */
export interface NagAcknowledgement {
  readonly id: string;
  readonly reason: string;
}

/**
 * Acknowledges cdk-nag findings on exactly the construct they concern (cdk-nag v3 reads
 * `Validations.of(construct).acknowledge` metadata on the resource and its ancestors).
 */
export function acknowledge(construct: IConstruct, ...acks: NagAcknowledgement[]): void {
  Validations.of(construct).acknowledge(...acks);
}

/**
 * The finding id cdk-nag's AwsSolutions-IAM5 reports for a wildcard resource such as
 * `bucket.arnForObjects('incoming/*')`: `AwsSolutions-IAM5[Resource::<RawBucket1234.Arn>/incoming/*]`.
 * Computed from the same token, so the acknowledgement follows logical-id changes.
 */
export function wildcardResourceFinding(scope: IConstruct, resourceArn: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(resourceArn))}]`;
}

/** The finding id AwsSolutions-IAM5 reports for a wildcard action such as `s3:Abort*`. */
export function wildcardActionFinding(action: string): string {
  return `AwsSolutions-IAM5[Action::${action}]`;
}

/**
 * Acknowledges the wildcard-resource findings of a policy CDK generates internally (whose resource
 * tokens are not reachable), limited to resources matching `pattern`; others stay reported.
 * Call it after the last statement is added. Returns the acknowledged finding ids.
 */
export function acknowledgeGeneratedWildcards(policy: IConstruct, pattern: RegExp, reason: string): string[] {
  const cfn = [policy, ...policy.node.findAll()].find((c): c is CfnPolicy => c instanceof CfnPolicy);
  if (!cfn) return [];
  const doc = Stack.of(policy).resolve(cfn.policyDocument) as { Statement?: Array<{ Effect: string; Resource: unknown }> };
  const ids = (doc.Statement ?? [])
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]))
    .map((r) => flattenCfnReference(r))
    .filter((r) => r.includes('*') && pattern.test(r))
    .map((r) => `AwsSolutions-IAM5[Resource::${r}]`);
  const unique = [...new Set(ids)];
  if (unique.length) acknowledge(cfn, ...unique.map((id) => ({ id, reason })));
  return unique;
}
