import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * NodejsFunction command hooks: `hooks`' own, then one more after-bundling command that runs `script` (a .ts file,
 * under tsx) with the output directory and `args` as its arguments. The bundling steps that run after esbuild
 * (the worker bundle, the separate modules) share this, so each is one script with a `require.main` entry.
 */
export function withAfterBundlingScript(hooks: ICommandHooks, script: string, args: readonly string[]): ICommandHooks {
  const tsxRegister = require.resolve('tsx/cjs');
  const quote = (s: string) => `"${s}"`;
  return {
    beforeBundling: (i, o) => hooks.beforeBundling(i, o),
    beforeInstall: (i, o) => hooks.beforeInstall(i, o),
    afterBundling: (inputDir, outputDir) => [
      ...hooks.afterBundling(inputDir, outputDir),
      [process.execPath, '--require', tsxRegister, script, outputDir, ...args].map(quote).join(' '),
    ],
  };
}
