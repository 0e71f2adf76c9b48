import * as fs from 'node:fs';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { ResidualStack } from '../../infra/residual-stack';
import { GATE_FILE, JOB_ENVIRONMENT, readJobSettings } from '../../training/job';
import { taskParameters, walk } from './asl';
import { placeholderDockerContext, placeholderHandler, REPO_ROOT, stateMachineDefinition, testApp } from './helpers';

// The training job (training/job.ts) is the contract; the stack must speak it.
const handler = placeholderHandler();
const docker = placeholderDockerContext();
const stack = new ResidualStack(testApp(), 'Contract', {
  projectRoot: handler.projectRoot,
  settings: { scoringEntry: handler.entry, trainingContext: docker.directory, trainingDockerfile: docker.file },
});
const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
const ref = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
const training = stateMachineDefinition(template.Resources[ref(stack.orchestration.trainingStateMachine)]!.Properties.DefinitionString);
const models = ref(stack.storage.modelsBucket);

/** CloudFormation values as text: `{ Ref: X }` → `${X}`, `Fn::GetAtt [X, Arn]` → `${X.Arn}`, joins concatenated. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as { 'Ref'?: string; 'Fn::GetAtt'?: string[]; 'Fn::Join'?: [string, unknown[]] };
  if (v.Ref) return `\${${v.Ref}}`;
  if (v['Fn::GetAtt']) return `\${${v['Fn::GetAtt'].join('.')}}`;
  if (v['Fn::Join']) return v['Fn::Join'][1].map(text).join(v['Fn::Join'][0]);
  throw new Error(`unexpected CloudFormation value ${JSON.stringify(value)}`);
}

type Environment = Array<{ Name: string; Value?: unknown }>;
const jobDefinitions = [stack.training.gpuJobDefinition, stack.training.cpuJobDefinition].map((d) => {
  const props = template.Resources[ref(d)]!.Properties as { ContainerProperties: { Environment?: Environment; Command?: unknown } };
  return { id: ref(d), container: props.ContainerProperties, environment: props.ContainerProperties.Environment ?? [] };
});
const submits = ['TrainOnGpu', 'TrainOnCpu'].map((state) => {
  const params = training.States[state]!.Parameters as { JobDefinition: string; ContainerOverrides: { Environment: Environment } };
  return { state, jobDefinition: params.JobDefinition, overrides: params.ContainerOverrides.Environment };
});
const jobVariables = new Set(Object.values(JOB_ENVIRONMENT));

describe('Training job contract', () => {
  test('every variable the job definitions and the training state machine pass is one the job reads', () => {
    const passed = [...jobDefinitions.flatMap((d) => d.environment), ...submits.flatMap((s) => s.overrides)].map((e) => e.Name);
    expect(passed.length).toBeGreaterThan(4);
    expect(passed.filter((name) => !jobVariables.has(name))).toEqual([]);
  });

  test('the data, model kind, name and models location always reach the job, on both queues', () => {
    const required = ['data', 'model', 'name', 'models'].map((flag) => JOB_ENVIRONMENT[flag]);
    for (const submit of submits) {
      const definition = jobDefinitions.find((d) => submit.jobDefinition === `\${${d.id}}`);
      expect(definition).toBeDefined();
      const names = new Set([...definition!.environment, ...submit.overrides].map((e) => e.Name));
      expect(required.filter((name) => !names.has(name!))).toEqual([]);
    }
  });

  test('the job reads what the state machine sends as the settings the execution input asked for', () => {
    const context = { executionName: 'v20250301-0900' };
    const input = {
      modelName: 'pumps',
      modelKind: 'lstm-ae',
      dataUri: 's3://raw/training/pumps/2025.parquet',
      epochs: 5,
      compute: 'cpu',
      config: { window: 16, stride: 2, model: { hidden: 8 } },
    };
    const stop = walk(training, training.StartAt, input, context);
    expect(stop.state).toBe('TrainOnCpu');
    const overrides = (
      taskParameters(training, stop, context) as { ContainerOverrides: { Environment: Array<{ Name: string; Value: string }> } }
    ).ContainerOverrides.Environment;
    const cpu = jobDefinitions.find((d) => submits[1]!.jobDefinition === `\${${d.id}}`)!;
    // Batch applies the overrides on top of the job definition's environment.
    const env = Object.fromEntries([...cpu.environment.map((e) => [e.Name, text(e.Value)]), ...overrides.map((e) => [e.Name, e.Value])]);
    expect(readJobSettings([], env)).toEqual({
      dataUri: input.dataUri, kind: 'lstm-ae', name: 'pumps', modelsUri: `s3://\${${models}}`, version: 'v20250301-0900', backend: 'auto',
      config: { window: 16, stride: 2, model: { hidden: 8 }, epochs: 5 },
      gate: { maxValidationLoss: 1, maxAnomalyRate: 0.05, maxRegression: 0.25 },
      publish: false,
    });
  });

  test('the container runs the job: no command overrides the ENTRYPOINT, which runs the bundle of training/job.ts', () => {
    for (const d of jobDefinitions) expect(d.container.Command).toBeUndefined();
    const dockerfile = fs.readFileSync(path.join(REPO_ROOT, 'training/Dockerfile'), 'utf8');
    const bundle = /esbuild training\/job\.ts [^\n]*?--outfile=(\S+)/.exec(dockerfile.replace(/\\\n\s*/g, ' '));
    expect(bundle?.[1]).toBeDefined();
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile);
    expect(JSON.parse(entrypoint![1]!)).toEqual(['node', bundle![1]]);
  });

  test('the state machine reads the verdict file the job writes', () => {
    const key = (training.States.ReadGateVerdict!.Parameters as Record<string, string>)['Key.$'];
    expect(key).toContain(`/${GATE_FILE}'`);
  });
});

describe('Training job contract: IAM', () => {
  type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
  const statementsOf = (role: { node: { defaultChild?: unknown } }) => Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as Array<{ Ref: string }>).some((x) => x.Ref === ref(role)))
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  const object = (key: string) => `\${${models}.Arn}/${key}`;
  /** Whether an Allow statement grants `action` on `arn` (IAM wildcards `*` and `?`). */
  const allows = (statements: Statement[], action: string, arn: string) =>
    statements.some(
      (s) =>
        s.Effect === 'Allow' &&
        [s.Action].flat().includes(action) &&
        [s.Resource]
          .flat()
          .map(text)
          .some((pattern) =>
            new RegExp(
              `^${pattern
                .split('*')
                .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
                .join('.*')}$`,
            ).test(arn),
          ),
    );
  const version = 'models/pumps/v20250301-0900';

  test('the job role may write the version\'s files and read the manifest LATEST points at', () => {
    const job = statementsOf(stack.training.jobRole);
    for (const file of ['model.onnx', 'manifest.json', GATE_FILE])
      expect(allows(job, 's3:PutObject', object(`${version}/${file}`))).toBe(true);
    expect(allows(job, 's3:GetObject', object('models/pumps/LATEST'))).toBe(true);
    expect(allows(job, 's3:GetObject', object('models/pumps/v1/manifest.json'))).toBe(true);
    expect(allows(job, 's3:PutObject', object('other/x'))).toBe(false);
  });

  test('the state machine may read gate.json and write LATEST, and nothing else in the models bucket', () => {
    const machine = statementsOf(stack.orchestration.trainingStateMachine.role);
    expect(allows(machine, 's3:GetObject', object(`${version}/${GATE_FILE}`))).toBe(true);
    expect(allows(machine, 's3:PutObject', object('models/pumps/LATEST'))).toBe(true);
    expect(allows(machine, 's3:GetObject', object(`${version}/manifest.json`))).toBe(false);
    expect(allows(machine, 's3:PutObject', object(`${version}/${GATE_FILE}`))).toBe(false);
  });
});
