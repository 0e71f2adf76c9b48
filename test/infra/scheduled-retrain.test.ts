// Issue 12.6: the optional scheduled retrain, on the app as `cdk synth` builds it (nag plugin included).
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/build-app';
import { InfraConfigError } from '../../infra/errors';
import { succeedTask, taskParameters, walk } from './asl';
import { nagFindings, placeholderDockerContext, placeholderHandler, stateMachineDefinition, staleAcknowledgements } from './helpers';

const handler = placeholderHandler();
const docker = placeholderDockerContext();

function synth(context: Record<string, unknown> = {}) {
  const { app, stack } = buildApp({
    projectRoot: handler.projectRoot,
    context: {
      'aws:cdk:bundling-stacks': [],
      scoringEntry: handler.entry, trainingContext: docker.directory, trainingDockerfile: docker.file,
      ...context,
    },
  });
  app.synth();
  return { stack, template: Template.fromStack(stack) };
}

const ENABLED = {
  retrainSchedule: 'rate(7 days)', retrainModelName: 'plant', retrainModelKind: 'dense-ae', retrainDataPrefix: 'training/plant/',
};

describe('scheduled retrain', () => {
  test('is absent by default: no schedule, no retrain state machine', () => {
    const { stack, template } = synth();
    expect(stack.retrain).toBeUndefined();
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
  });

  describe('when enabled', () => {
    const { stack, template } = synth({ ...ENABLED, retrainCompute: 'cpu' });
    const ref = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
    const retrain = stack.retrain!;
    const machineId = ref(retrain.stateMachine);
    const definition = stateMachineDefinition(template.toJSON().Resources[machineId].Properties.DefinitionString);
    const context = { executionName: 'r1' };
    const input = { modelName: 'plant', modelKind: 'dense-ae', dataPrefix: 'training/plant/', compute: 'cpu' };

    test('the schedule starts the retrain state machine with the model, kind, data prefix and compute', () => {
      template.resourceCountIs('AWS::Scheduler::Schedule', 1);
      const schedule = Object.values(template.findResources('AWS::Scheduler::Schedule'))[0]!.Properties;
      expect(schedule.ScheduleExpression).toBe('rate(7 days)');
      expect(schedule.State).toBe('ENABLED');
      expect(schedule.Target.Arn).toEqual({ Ref: machineId });
      expect(JSON.parse(schedule.Target.Input)).toEqual(input);
      // the scheduler's role may start exactly that machine
      const roleId = schedule.Target.RoleArn['Fn::GetAtt'][0];
      const statements = Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleId))
        .flatMap((p) => p.Properties.PolicyDocument.Statement);
      expect(statements).toEqual([expect.objectContaining({ Action: 'states:StartExecution', Resource: { Ref: machineId } })]);
    });

    test('lists every page under the prefix and trains the training state machine on the newest object, to completion', () => {
      let stop = walk(definition, definition.StartAt, input as never, context);
      expect(stop.state).toBe('ListData');
      expect(taskParameters(definition, stop, context)).toMatchObject({ Prefix: 'training/plant/', MaxKeys: 200 });
      const page = (keys: string[], token?: string) => ({
        IsTruncated: token !== undefined,
        ...(token ? { NextContinuationToken: token } : {}),
        Contents: keys.map((Key) => ({ Key, Size: 1 })),
      });
      stop = succeedTask(definition, stop, page(['training/plant/2026-11-30.csv', 'training/plant/2026-12-01.csv'], 't1'), context);
      expect(stop.state).toBe('ListMoreData');
      expect(taskParameters(definition, stop, context)).toMatchObject({ Prefix: 'training/plant/', ContinuationToken: 't1' });
      stop = succeedTask(definition, stop, page(['training/plant/2026-12-02.csv', 'training/plant/2026-12-03.csv']), context);
      expect(stop.state).toBe('Train');
      const train = definition.States.Train as unknown as { Resource: string; Parameters: { StateMachineArn: unknown } };
      expect(train.Resource).toBe('arn:${AWS::Partition}:states:::states:startExecution.sync:2');
      expect(train.Parameters.StateMachineArn).toBe(`\${${ref(stack.orchestration.trainingStateMachine)}}`);
      const params = taskParameters(definition, stop, context) as { Input: Record<string, string> };
      expect(params.Input).toEqual({
        modelName: 'plant', modelKind: 'dense-ae', compute: 'cpu',
        dataUri: `s3://\${${ref(stack.storage.rawBucket)}}/training/plant/2026-12-03.csv`,
      });
    });

    test('no object under the prefix fails the execution with NoTrainingData', () => {
      const stop = succeedTask(definition, walk(definition, definition.StartAt, input as never, context), { IsTruncated: false }, context);
      expect(stop).toMatchObject({ type: 'Fail', error: 'NoTrainingData' });
    });

    test('is cdk-nag clean, with no acknowledgement in vain', () => {
      expect(nagFindings(retrain)).toEqual([]);
      expect(staleAcknowledgements(retrain)).toEqual([]);
    });
  });

  test('an enabled schedule without its model, kind or prefix, or a bad expression, is refused at synth', () => {
    for (const missing of ['retrainModelName', 'retrainModelKind', 'retrainDataPrefix']) {
      expect(() => synth({ ...ENABLED, [missing]: '' })).toThrow(InfraConfigError);
    }
    expect(() => synth({ ...ENABLED, retrainSchedule: 'every week' })).toThrow(/retrainSchedule/);
    expect(() => synth({ ...ENABLED, retrainDataPrefix: 'incoming/plant/' })).toThrow(/outside incoming/);
  });
});
