import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readSettings } from './config';
import { FEATURE_FLAGS } from './feature-flags';
import { ResidualStack } from './residual-stack';

export interface BuildAppOptions {
  /**
   * Extra context (tests); the CLI passes cdk.json and `-c` values through the environment.
   * @default - none beyond FEATURE_FLAGS
   */
  readonly context?: Record<string, unknown>;
  /**
   * Cloud assembly directory.
   * @default - the CDK CLI's (cdk.out), else a temporary directory
   */
  readonly outdir?: string;
  /**
   * Root that relative paths resolve against.
   * @default - the repository
   */
  readonly projectRoot?: string;
}

/**
 * The residual CDK app: one environment-agnostic stack (no account/region lookups, so `cdk synth`
 * runs offline without credentials; `cdk deploy` takes them from the CLI profile), checked by
 * cdk-nag's AwsSolutions pack at synthesis.
 */
export function buildApp(options: BuildAppOptions = {}): { app: App; stack: ResidualStack } {
  const app = new App({ outdir: options.outdir, context: { ...FEATURE_FLAGS, ...options.context } });
  const settings = readSettings((key) => app.node.tryGetContext(key));
  const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? 'Residual';
  const stack = new ResidualStack(app, stackName, { settings, projectRoot: options.projectRoot });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
