import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { withAfterBundlingScript } from './after-bundling-script';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface SeparateModuleSettings {
  target: string;
  mainFields: readonly string[];
  /** packages kept out of the handler's index.js and bundled, each on its own, into `node_modules/<name>/index.js` */
  separateModules: readonly string[];
}

/**
 * Bundles each package of `separateModules` on its own into `<outputDir>/node_modules/<name>/index.js` (CommonJS,
 * minified, names kept) with a package.json naming it, so the handler's `require('<name>')` (esbuild leaves it
 * external) finds it beside index.js. The point is the cold start: Node compiles all of index.js when the Lambda
 * imports it, and a package needed only on a rare path (echarts: the HTML report) costs that compile on every cold
 * start; in a file of its own it is read and compiled only by the first event that requires it.
 */
export function bundleSeparateModules(outputDir: string, settings: SeparateModuleSettings): { name: string; bytes: number }[] {
  return settings.separateModules.map((name) => {
    const dir = path.join(outputDir, 'node_modules', ...name.split('/'));
    fs.mkdirSync(dir, { recursive: true });
    const result = buildSync({
      stdin: { contents: `export * from ${JSON.stringify(name)};`, resolveDir: REPO_ROOT, loader: 'js' },
      absWorkingDir: REPO_ROOT,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: settings.target,
      mainFields: [...settings.mainFields],
      minify: true,
      keepNames: true,
      outfile: path.join(dir, 'index.js'),
      metafile: true,
      logLevel: 'warning',
    });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, main: 'index.js' }) + '\n');
    return { name, bytes: Object.values(result.metafile!.outputs)[0]?.bytes ?? 0 };
  });
}

/** NodejsFunction command hooks: `hooks`' own, then {@link bundleSeparateModules} into the output directory (this file under tsx). */
export function withSeparateModules(hooks: ICommandHooks, settings: SeparateModuleSettings): ICommandHooks {
  return withAfterBundlingScript(hooks, __filename, [settings.target, settings.mainFields.join(','), settings.separateModules.join(',')]);
}

if (require.main === module) {
  const [outputDir, target, mainFields, modules] = process.argv.slice(2);
  if (!outputDir || !target || mainFields === undefined || modules === undefined) {
    process.stderr.write(`usage: separate-modules.ts <outputDir> <target> <mainFields,...> <modules,...>\n`);
    process.exit(2);
  }
  const list = (s: string) => s.split(',').filter(Boolean);
  const settings = { target, mainFields: list(mainFields), separateModules: list(modules) };
  for (const { name, bytes } of bundleSeparateModules(outputDir, settings)) {
    process.stdout.write(`bundled node_modules/${name}/index.js (${(bytes / 1048576).toFixed(1)} MiB)\n`);
  }
}
