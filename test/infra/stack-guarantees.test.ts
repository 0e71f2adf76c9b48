import { RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { buildApp } from '../../infra/build-app';
import { readSettings } from '../../infra/config';
import { InfraConfigError } from '../../infra/errors';
import { ResidualStack } from '../../infra/residual-stack';
import { placeholderDockerContext, placeholderHandler, testApp } from './helpers';

const handler = placeholderHandler();
const docker = placeholderDockerContext();

/** The app as `cdk synth` builds it, assets staged but not bundled (this file checks the template only). */
function build(context: Record<string, unknown> = {}) {
  return buildApp({
    projectRoot: handler.projectRoot,
    context: {
      'aws:cdk:bundling-stacks': [],
      scoringEntry: handler.entry, trainingContext: docker.directory, trainingDockerfile: docker.file,
      ...context,
    },
  }).stack;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a synthesized template's JSON: its shape is what the tests assert
type Resource = { Type: string; Properties?: Record<string, any> };
const resourcesOf = (template: Template) => template.toJSON().Resources as Record<string, Resource>;

/** A CloudFormation value as text: `${Logical.Attr}` for GetAtt, `${Logical}` for Ref, joins flattened. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- CloudFormation intrinsics
  if (v?.Ref) return `\${${v.Ref}}`;
  if (v?.['Fn::GetAtt']) return `\${${(v['Fn::GetAtt'] as string[]).join('.')}}`;
  if (v?.['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(render).join(v['Fn::Join'][0] as string);
  if (v?.['Fn::Sub']) return v['Fn::Sub'] as string;
  return JSON.stringify(value);
}

/** IAM's wildcard matching: `*` any run of characters (`/` included), `?` one character. */
const iamMatches = (pattern: string, text: string) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(text);

interface Statement { Effect: string; Action: string | string[]; Resource: unknown }

/** Every statement of every role's identity policies (attached AWS::IAM::Policy and inline), by role logical id. */
function roleStatements(resources: Record<string, Resource>): Map<string, Statement[]> {
  const byRole = new Map<string, Statement[]>();
  const add = (role: string, statements: Statement[]) => byRole.set(role, [...(byRole.get(role) ?? []), ...statements]);
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type === 'AWS::IAM::Role') {
      add(id, (r.Properties?.Policies ?? []).flatMap((p: { PolicyDocument: { Statement: Statement[] } }) => p.PolicyDocument.Statement));
    }
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') {
      for (const role of (r.Properties?.Roles ?? []) as Array<{ Ref: string }>) add(role.Ref, r.Properties!.PolicyDocument.Statement);
    }
  }
  return byRole;
}

/** Whether these statements allow `action` on one of `arns` (an explicit Deny wins). */
function allows(statements: Statement[], action: string, arns: string[]): boolean {
  const hits = (s: Statement) => [s.Action].flat().some((a) => iamMatches(a, action))
    && [s.Resource].flat().some((r) => arns.some((arn) => iamMatches(render(r), arn)));
  return statements.some((s) => s.Effect === 'Allow' && hits(s)) && !statements.some((s) => s.Effect === 'Deny' && hits(s));
}

/** AWS managed policies the stack attaches; none grants S3 writes (logs, and the ECS agent on the Batch hosts). */
const MANAGED_WITHOUT_S3_WRITES = ['service-role/AWSLambdaBasicExecutionRole', 'service-role/AmazonEC2ContainerServiceforEC2Role'];

describe('stack guarantees', () => {
  const stack = build();
  const template = Template.fromStack(stack);
  const resources = resourcesOf(template);
  const bucket = stack.getLogicalId(stack.storage.modelsBucket.node.defaultChild as never);
  // the bucket's Arn attribute, or an ARN built from its name
  const objectArns = (key: string) => [
    `\${${bucket}.Arn}/${key}`, `arn:\${AWS::Partition}:s3:::\${${bucket}}/${key}`, `arn:aws:s3:::\${${bucket}}/${key}`,
  ];
  const roles = roleStatements(resources);
  const publisher = stack.getLogicalId(stack.orchestration.trainingStateMachine.role.node.defaultChild as never);
  const jobRole = stack.getLogicalId(stack.training.jobRole.node.defaultChild as never);

  test('only the training state machine (its publish step) may write models/<name>/LATEST', () => {
    expect(roles.size).toBeGreaterThanOrEqual(6);
    const writers = (key: string) => [...roles]
      .filter(([, s]) => ['s3:PutObject', 's3:DeleteObject'].some((a) => allows(s, a, objectArns(key))))
      .map(([r]) => r);
    expect(writers('models/sensors/LATEST')).toEqual([publisher]);
    expect(writers('models/ward-7/LATEST')).toEqual([publisher]);
  });

  test('the training job may write the files of a version, but not LATEST', () => {
    const job = roles.get(jobRole)!;
    for (const file of ['model.onnx', 'manifest.json', 'gate.json']) {
      expect(allows(job, 's3:PutObject', objectArns(`models/sensors/20260101T000000Z/${file}`))).toBe(true);
    }
    expect(allows(job, 's3:PutObject', objectArns('models/sensors/LATEST'))).toBe(false);
    expect(allows(job, 's3:GetObject', objectArns('models/sensors/LATEST'))).toBe(true);
  });

  test('attaches only AWS managed policies that grant no S3 writes', () => {
    const managed = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Role')
      .flatMap((r) => (r.Properties?.ManagedPolicyArns ?? []).map((arn: unknown) => render(arn).replace(/^.*:policy\//, '')));
    expect(managed.length).toBeGreaterThan(0);
    for (const name of managed) expect(MANAGED_WITHOUT_S3_WRITES).toContain(name);
  });

  test('every log group in the stack expires its events after logRetentionDays', () => {
    const groups = Object.values(resources).filter((r) => r.Type === 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThanOrEqual(6);
    for (const g of groups) expect(g.Properties?.RetentionInDays).toBe(30);
  });
});

describe('log retention of every function', () => {
  /** Each AWS::Lambda::Function with the RetentionInDays of the log group its LoggingConfig names (undefined: none). */
  function retentionByFunction(template: Template): Record<string, number | undefined> {
    const resources = resourcesOf(template);
    return Object.fromEntries(Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function').map(([id, fn]) => {
      const ref = (fn.Properties?.LoggingConfig?.LogGroup as { Ref?: string } | undefined)?.Ref;
      const group = ref === undefined ? undefined : resources[ref];
      return [id, group?.Type === 'AWS::Logs::LogGroup' ? group.Properties?.RetentionInDays as number : undefined];
    }));
  }

  test('gives the scoring function and CDK\'s custom-resource handlers (an auto-delete bucket added) a retained log group', () => {
    // Without the app's cdk-nag plugin: the scratch bucket below is not in the deployed stack (its buckets are
    // retained); it shows that a handler CDK adds later (auto-delete objects) is covered too.
    const stack = new ResidualStack(testApp(), 'Residual', {
      projectRoot: handler.projectRoot,
      settings: { logRetentionDays: 14, scoringEntry: handler.entry, trainingContext: docker.directory, trainingDockerfile: docker.file },
    });
    new s3.Bucket(stack, 'Scratch', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
    const retention = retentionByFunction(Template.fromStack(stack));
    const ids = Object.keys(retention);
    for (const prefix of ['ScoringFunction', 'BucketNotificationsHandler', 'CustomVpcRestrictDefaultSG', 'CustomS3AutoDeleteObjects']) {
      expect([prefix, ids.some((id) => id.startsWith(prefix))]).toEqual([prefix, true]);
    }
    expect(Object.entries(retention).filter(([, days]) => days !== 14)).toEqual([]);
  });

  test('refuses a retention CloudWatch Logs does not offer, naming the key', () => {
    expect(() => readSettings((k) => (k === 'logRetentionDays' ? '31' : undefined))).toThrow(InfraConfigError);
    expect(() => readSettings((k) => (k === 'logRetentionDays' ? '9999' : undefined))).toThrow(/'logRetentionDays'/);
    expect(readSettings((k) => (k === 'logRetentionDays' ? '365' : undefined)).logRetentionDays).toBe(365);
  });
});
