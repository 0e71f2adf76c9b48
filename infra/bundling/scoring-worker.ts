import * as path from 'node:path';
import { buildSync } from 'esbuild';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { withAfterBundlingScript } from './after-bundling-script';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The worker thread's source, and the file it becomes beside the handler's index.js (scoring/parallel/worker-pool.ts looks there). */
export const SCORING_WORKER_ENTRY = path.join(REPO_ROOT, 'scoring', 'parallel', 'worker-main.ts');
export const SCORING_WORKER_FILE = 'worker-main.js';

export interface WorkerBundleSettings {
  target: string;
  mainFields: readonly string[];
  externalModules: readonly string[];
}

/**
 * Bundles the scoring worker (scoring/parallel/worker-main.ts) into `<outputDir>/worker-main.js` with the handler's
 * own esbuild settings (CommonJS, minified, names kept, onnxruntime external: the copy beside the bundle serves
 * both). Without it the Lambda scores on one thread (workerEntry() finds no worker file).
 */
export function bundleScoringWorker(outputDir: string, settings: WorkerBundleSettings): { bytes: number } {
  const result = buildSync({
    entryPoints: [SCORING_WORKER_ENTRY],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: settings.target,
    mainFields: [...settings.mainFields],
    external: [...settings.externalModules],
    minify: true,
    keepNames: true,
    outfile: path.join(outputDir, SCORING_WORKER_FILE),
    metafile: true,
    logLevel: 'warning',
  });
  const out = Object.values(result.metafile!.outputs)[0];
  return { bytes: out?.bytes ?? 0 };
}

/** NodejsFunction command hooks: `hooks`' own, then the worker bundled into the output directory (this file under tsx). */
export function withScoringWorker(hooks: ICommandHooks, settings: WorkerBundleSettings): ICommandHooks {
  return withAfterBundlingScript(hooks, __filename, [settings.target, settings.mainFields.join(','), settings.externalModules.join(',')]);
}

if (require.main === module) {
  const [outputDir, target, mainFields, externals] = process.argv.slice(2);
  if (!outputDir || !target || mainFields === undefined || externals === undefined) {
    process.stderr.write(`usage: scoring-worker.ts <outputDir> <target> <mainFields,...> <externals,...>\n`);
    process.exit(2);
  }
  const list = (s: string) => s.split(',').filter(Boolean);
  const { bytes } = bundleScoringWorker(outputDir, { target, mainFields: list(mainFields), externalModules: list(externals) });
  process.stdout.write(`bundled ${SCORING_WORKER_FILE} (${(bytes / 1048576).toFixed(1)} MiB)\n`);
}
