import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { SCORING_BUNDLE } from '../../infra/constructs/scoring';
import { REPO_ROOT } from './helpers';

/**
 * What `npm ci --omit=dev` leaves out is what package-lock.json marks `dev: true` (every package reached only
 * through devDependencies). The Lambda bundle and the CLI must not need any of it.
 */
interface Lock { packages: Record<string, { dev?: boolean; version?: string }> }
const lock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as Lock;
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>; devDependencies: Record<string, string>;
};
/** Only tests, benches and deploys use these. */
const TOOLING = ['aws-cdk-lib', 'cdk-nag', 'constructs', 'esbuild', 's3rver'];

/** The package-lock key (`node_modules/a/node_modules/b`) of a file under node_modules, or null for project files. */
export function lockKeyOf(file: string): string | null {
  const parts = file.split(/[\\/]/);
  const first = parts.indexOf('node_modules');
  if (first < 0) return null;
  const key: string[] = [];
  for (let i = first; i < parts.length; i++) {
    if (parts[i] !== 'node_modules') break;
    const name = parts[i + 1]?.startsWith('@') ? `${parts[i + 1]}/${parts[i + 2]}` : parts[i + 1];
    key.push('node_modules', name!);
    i += name!.split('/').length;
  }
  return key.join('/');
}

/** Packages among `files` that `npm ci --omit=dev` would not install (dev-only, or not in the lock at all). */
function notInProduction(files: Iterable<string>): string[] {
  const keys = new Set([...files].map(lockKeyOf).filter((k): k is string => k !== null));
  return [...keys].filter((k) => lock.packages[k] === undefined || lock.packages[k]!.dev === true)
    .map((k) => k.replace(/^(.*\/)?node_modules\//, '')).sort();
}

async function bundleInputs(options: { entry?: string; stdin?: string }): Promise<string[]> {
  const result = await build({
    ...(options.entry ? { entryPoints: [options.entry] } : { stdin: { contents: options.stdin!, resolveDir: REPO_ROOT, loader: 'ts' } }),
    absWorkingDir: REPO_ROOT,
    bundle: true, platform: 'node', format: 'cjs', write: false, metafile: true, logLevel: 'silent',
    target: SCORING_BUNDLE.target, mainFields: [...SCORING_BUNDLE.mainFields], external: [...SCORING_BUNDLE.externalModules],
  });
  return Object.keys(result.metafile.inputs);
}

/** Every file Node resolves while a child process requires `modules` (TypeScript through tsx, as bin/residual.js does). */
function loadedBy(modules: string[]): string[] {
  const script = [
    "const Module = require('node:module');",
    'const seen = new Set();',
    'const resolve = Module._resolveFilename;',
    'Module._resolveFilename = function (...args) { const f = resolve.apply(this, args); seen.add(f); return f; };',
    "require('tsx/cjs/api').register();",
    `for (const m of ${JSON.stringify(modules)}) require(require.resolve(m, { paths: [process.cwd()] }));`,
    "process.stdout.write('\\n' + JSON.stringify([...seen, ...Object.keys(require.cache)]));",
    'process.exit(0);',
  ].join('\n');
  const out = execFileSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.slice(out.lastIndexOf('\n') + 1)) as string[];
}

const cliModules = ['./cli/main.ts', ...fs.readdirSync(path.join(REPO_ROOT, 'cli', 'commands'))
  // `residual demo` runs the pipeline against s3rver, a devDependency: it works in a checkout after `npm install`.
  .filter((f) => f.endsWith('.ts') && f !== 'demo.ts').map((f) => `./cli/commands/${f}`)];

describe('dependency boundary', () => {
  test('keeps tooling used only by tests, benches and deploys out of dependencies', () => {
    for (const name of TOOLING) {
      expect([name, manifest.dependencies[name]]).toEqual([name, undefined]);
      expect([name, manifest.devDependencies[name]]).toEqual([name, expect.any(String)]);
    }
  });

  test('maps files under node_modules to package-lock keys, scoped and nested', () => {
    expect(lockKeyOf('node_modules/@aws-sdk/client-s3/dist-es/index.js')).toBe('node_modules/@aws-sdk/client-s3');
    expect(lockKeyOf('/w/node_modules/a/node_modules/@s/b/lib/x.js')).toBe('node_modules/a/node_modules/@s/b');
    expect(lockKeyOf('functions/handlers/score.ts')).toBeNull();
  });

  test('the check flags a bundle or a module graph that pulls a dev-only package', async () => {
    expect(notInProduction(await bundleInputs({ stdin: "import S3rver from 's3rver'; console.log(S3rver);" }))).toContain('s3rver');
    expect(notInProduction(loadedBy(['aws-cdk-lib']))).toContain('aws-cdk-lib');
  });

  test('the scoring Lambda bundle contains no package that npm ci --omit=dev leaves out', async () => {
    const inputs = await bundleInputs({ entry: path.join(REPO_ROOT, 'functions', 'handlers', 'score.ts') });
    expect(inputs.some((f) => f.includes('@aws-sdk/client-s3'))).toBe(true);
    expect(notInProduction(inputs)).toEqual([]);
    const packages = new Set(inputs.map(lockKeyOf).filter((k) => k !== null).map((k) => k!.replace(/^.*node_modules\//, '')));
    for (const name of [...TOOLING, 'tsx']) expect([name, packages.has(name)]).toEqual([name, false]);
    // the externals ship beside the bundle and come from production dependencies too
    expect(notInProduction(SCORING_BUNDLE.externalModules.map((m) => `node_modules/${m}/package.json`))).toEqual([]);
  });

  test('the CLI entry and its commands (demo aside) load no package that npm ci --omit=dev leaves out', () => {
    const loaded = loadedBy(cliModules);
    expect(loaded.some((f) => f.endsWith(path.join('cli', 'main.ts')))).toBe(true);
    expect(notInProduction(loaded)).toEqual([]);
  });
});
