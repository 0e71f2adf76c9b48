import * as batch from 'aws-cdk-lib/aws-batch';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { InfraConfigError } from '../errors';
import { GATE_FILE, JOB_VARIABLES } from '../job-environment';
import { NOT_PROMOTED_EXIT_CODE } from '../job-exit-code';
import { LATEST_FILE, PREFIXES } from '../layout';

/** The validation gate the training job evaluates and records in gate.json (training/validation-gate.ts). */
export interface GateLimits {
  /** Best validation loss (standardised units) may not exceed it; 1.0 = no better than predicting the mean. */
  readonly maxLoss: number;
  /** Share of validation samples above the calibrated threshold may not exceed it. */
  readonly maxAnomalyRate: number;
  /** Validation loss may be at most (1 + maxRegression) × that of the current LATEST. */
  readonly maxRegression: number;
}

export const DEFAULT_GATE: GateLimits = { maxLoss: 1.0, maxAnomalyRate: 0.05, maxRegression: 0.25 };

export interface TrainingWorkflowProps {
  readonly gpuQueue: batch.IJobQueue;
  readonly gpuJobDefinition: batch.IJobDefinition;
  readonly cpuQueue: batch.IJobQueue;
  readonly cpuJobDefinition: batch.IJobDefinition;
  readonly modelsBucket: s3.IBucket;
  readonly gate: GateLimits;
  readonly defaultEpochs: number;
}

/** Throws InfraConfigError unless every gate limit is a finite number in range. */
export function checkGate(gate: GateLimits): void {
  const check = (name: string, value: number, max: number) => {
    if (!(Number.isFinite(value) && value >= 0 && value <= max))
      throw new InfraConfigError(name, value, `must be a number from 0 to ${max}`);
  };
  check('gateMaxLoss', gate.maxLoss, 1e9);
  check('gateMaxAnomalyRate', gate.maxAnomalyRate, 1);
  check('gateMaxRegression', gate.maxRegression, 1e9);
}

/**
 * The training state machine's definition, states created in `scope`.
 * Input `{ modelName, modelKind, dataUri, epochs?, compute?: 'gpu'|'cpu', config? }` (config: the JSON of
 * `residual train --config`; epochs: input `epochs`, else `config.epochs`, else the default) → Batch job
 * (run to completion) with the job's RESIDUAL_* variables, version = the execution name, publish=false →
 * read models/<name>/<version>/gate.json → fail with the job's reasons unless it passed → write
 * models/<name>/LATEST = version. The job exits 2 when it trained but did not move LATEST; that exit
 * goes on to the gate, any other failure fails the execution.
 */
export function trainingWorkflow(scope: Construct, props: TrainingWorkflowProps): sfn.IChainable {
  const bucket = props.modelsBucket;
  const name = sfn.JsonPath.stringAt('$.args.modelName');
  const version = sfn.JsonPath.executionName;
  const isObject = (path: string) =>
    sfn.Condition.and(
      ...[sfn.Condition.isString, sfn.Condition.isNumeric, sfn.Condition.isBoolean, sfn.Condition.isNull].map((is) =>
        sfn.Condition.not(is(path)),
      ),
    );
  const optional = (path: string, condition: sfn.Condition) =>
    sfn.Condition.or(sfn.Condition.not(sfn.Condition.isPresent(path)), condition);

  // Input → $.args (defaults applied) and $.trainConfig (the config file as a string, epochs folded in).
  const defaults = new sfn.Pass(scope, 'Defaults', {
    result: sfn.Result.fromObject({ compute: 'gpu', config: {} }),
    resultPath: '$.defaults',
  });
  const merge = new sfn.Pass(scope, 'ApplyDefaults', { parameters: { 'args.$': 'States.JsonMerge($.defaults, $, false)' } });
  const buildConfig = new sfn.Pass(scope, 'BuildTrainConfig', {
    parameters: { 'args.$': '$.args', 'trainConfig.$': 'States.JsonToString(States.JsonMerge($.args.config, $.epochs, false))' },
  });
  const epochs = (id: string, from: string | null) => new sfn.Pass(scope, id, {
    ...(from === null ? { result: sfn.Result.fromObject({ epochs: props.defaultEpochs }) } : { parameters: { 'epochs.$': from } }),
    resultPath: '$.epochs',
  }).next(buildConfig);
  const chooseEpochs = new sfn.Choice(scope, 'ChooseEpochs')
    .when(sfn.Condition.isPresent('$.args.epochs'), epochs('EpochsFromInput', '$.args.epochs'))
    .when(sfn.Condition.isPresent('$.args.config.epochs'), epochs('EpochsFromConfig', '$.args.config.epochs'))
    .otherwise(epochs('DefaultEpochs', null));

  const environment: Record<string, string> = {
    [JOB_VARIABLES.dataUri]: sfn.JsonPath.stringAt('$.args.dataUri'),
    [JOB_VARIABLES.modelKind]: sfn.JsonPath.stringAt('$.args.modelKind'),
    [JOB_VARIABLES.modelName]: name,
    [JOB_VARIABLES.modelsUri]: `s3://${bucket.bucketName}`,
    [JOB_VARIABLES.version]: version,
    [JOB_VARIABLES.trainConfig]: sfn.JsonPath.stringAt('$.trainConfig'),
    [JOB_VARIABLES.gateMaxLoss]: String(props.gate.maxLoss),
    [JOB_VARIABLES.gateMaxAnomalyRate]: String(props.gate.maxAnomalyRate),
    [JOB_VARIABLES.gateMaxRegression]: String(props.gate.maxRegression),
    [JOB_VARIABLES.publish]: 'false',
  };

  // The job's verdict decides; this machine only moves LATEST.
  const readVerdict = new tasks.CallAwsService(scope, 'ReadGateVerdict', {
    service: 's3',
    action: 'getObject',
    parameters: { Bucket: bucket.bucketName, Key: sfn.JsonPath.format(`${PREFIXES.models}{}/{}/${GATE_FILE}`, name, version) },
    iamAction: 's3:GetObject',
    iamResources: [bucket.arnForObjects(`${PREFIXES.models}*/${GATE_FILE}`)],
    resultSelector: { 'verdict.$': 'States.StringToJson($.Body)' },
    resultPath: '$.evaluation',
  });
  readVerdict.addCatch(new sfn.Fail(scope, 'GateVerdictUnreadable', {
    error: 'GateVerdictUnreadable',
    cause: `the job did not write ${PREFIXES.models}<modelName>/<version>/${GATE_FILE} as JSON`,
  }));
  const publish = new tasks.CallAwsService(scope, 'PublishLatest', {
    service: 's3',
    action: 'putObject',
    parameters: {
      Bucket: bucket.bucketName,
      Key: sfn.JsonPath.format(`${PREFIXES.models}{}/${LATEST_FILE}`, name),
      Body: version,
      ContentType: 'text/plain',
    },
    iamAction: 's3:PutObject',
    iamResources: [bucket.arnForObjects(`${PREFIXES.models}*/${LATEST_FILE}`)],
    resultPath: sfn.JsonPath.DISCARD,
  });
  // A Pass formats the cause: Fail states take a plain path more portably than nested intrinsics.
  const gateFailed = new sfn.Pass(scope, 'ExplainGateFailure', {
    parameters: {
      'cause.$':
        "States.Format('validation gate failed for version {}, LATEST was not moved: {}', " +
        '$$.Execution.Name, States.JsonToString($.evaluation.verdict.reasons))',
    },
    resultPath: '$.gateFailure',
  }).next(new sfn.Fail(scope, 'ValidationGateFailed', { error: 'ValidationGateFailed', causePath: '$.gateFailure.cause' }));
  const passed = '$.evaluation.verdict.passed';
  const evaluate = readVerdict.next(new sfn.Choice(scope, 'GatePassed')
    .when(sfn.Condition.and(sfn.Condition.isPresent(passed), sfn.Condition.isBoolean(passed), sfn.Condition.booleanEquals(passed, true)),
      publish.next(new sfn.Succeed(scope, 'Published')))
    .otherwise(gateFailed));

  // A failed Batch job carries its description (JSON) as the cause; exit 2 means "trained, but the validation gate failed".
  const jobFailed = new sfn.Fail(scope, 'TrainingJobFailed', { errorPath: '$.jobFailure.Error', causePath: '$.jobFailure.Cause' });
  const cause = '$.jobFailure.Cause';
  const exitCode = '$.jobExit.job.Container.ExitCode';
  const jobEnded = new sfn.Choice(scope, 'JobDescribed')
    .when(
      sfn.Condition.and(sfn.Condition.isPresent(cause), sfn.Condition.isString(cause), sfn.Condition.stringMatches(cause, '{*')),
      new sfn.Pass(scope, 'ParseJobFailure', {
        parameters: { 'job.$': `States.StringToJson(${cause})` },
        resultPath: '$.jobExit',
      }).next(
        new sfn.Choice(scope, 'TrainedNotPromoted')
          .when(
            sfn.Condition.and(
              sfn.Condition.isPresent(exitCode),
              sfn.Condition.isNumeric(exitCode),
              sfn.Condition.numberEquals(exitCode, NOT_PROMOTED_EXIT_CODE),
            ),
            evaluate,
          )
          .otherwise(jobFailed),
      ),
    )
    .otherwise(jobFailed);

  const submit = (id: string, queue: batch.IJobQueue, definition: batch.IJobDefinition) => {
    const task = new tasks.BatchSubmitJob(scope, id, {
      jobName: 'residual-train',
      jobQueueArn: queue.jobQueueArn,
      jobDefinitionArn: definition.jobDefinitionArn,
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      containerOverrides: { environment },
      resultSelector: { 'jobId.$': '$.JobId' },
      resultPath: '$.job',
    });
    task.addCatch(jobEnded, { errors: ['States.TaskFailed'], resultPath: '$.jobFailure' });
    return task.next(evaluate);
  };

  buildConfig.next(new sfn.Choice(scope, 'SelectCompute')
    .when(sfn.Condition.stringEquals('$.args.compute', 'cpu'), submit('TrainOnCpu', props.cpuQueue, props.cpuJobDefinition))
    .otherwise(submit('TrainOnGpu', props.gpuQueue, props.gpuJobDefinition)));
  return new sfn.Choice(scope, 'ValidateTrainingInput')
    .when(
      sfn.Condition.and(
        ...['modelName', 'modelKind', 'dataUri'].map((k) =>
          sfn.Condition.and(sfn.Condition.isPresent(`$.${k}`), sfn.Condition.isString(`$.${k}`)),
        ),
        optional('$.epochs', sfn.Condition.isNumeric('$.epochs')),
        optional('$.config', isObject('$.config')),
      ),
      defaults.next(merge).next(chooseEpochs),
    )
    .otherwise(
      new sfn.Fail(scope, 'InvalidTrainingInput', {
        error: 'InvalidInput',
        cause: 'input needs modelName, modelKind and dataUri (strings); epochs, when given, a number; config, when given, an object',
      }),
    );
}
