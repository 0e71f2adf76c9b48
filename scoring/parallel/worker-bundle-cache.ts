import { createHash } from 'node:crypto';
import { renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';

/** bin/bundle-cache.js: the CLI's bundle cache, whose cache folder, freshness check and atomic writes this one uses. */
interface BundleCache {
  ownedCacheDir(prefix: string): string | null;
  freshBundle(index: string): string | null;
  inputsOf(metafile: { inputs: Record<string, unknown> }, root: string): Record<string, [number, number]>;
  loadEsbuild(): typeof import('esbuild');
  writeIndex(index: string, inputs: Record<string, [number, number]>, bundle: string): void;
}

/**
 * The worker's TypeScript entry bundled into one CommonJS file (esbuild, which tsx itself runs on), cached under
 * the temp directory and rebuilt when any of its source files changes (mtime or size). Where the CLI runs from
 * sources a worker started through tsx's loader spends ~0.7 s of CPU compiling ~40 modules; one started from the
 * bundle, ~0.1 s, and the bundle is built once (~0.2 s). Null where esbuild cannot be loaded or the build fails: the
 * caller then starts the worker through tsx. The cache mechanics are bin/bundle-cache.js's (the CLI's own bundle);
 * this build differs in being synchronous (a worker is spawned synchronously) and in its externals. Only called from
 * sources (a .ts entry), so bin/ is beside them; required through createRequire, so a bundler (the Lambda's esbuild
 * build) pulls neither it nor esbuild into a bundle.
 */
export function bundledWorker(entry: string, external: readonly string[]): string | null {
  const load = createRequire(__filename);
  try {
    const cache = load(join(__dirname, '..', '..', 'bin', 'bundle-cache.js')) as BundleCache;
    // one folder per user, which only that user may write: the bundle is code this process runs
    const dir = cache.ownedCacheDir('residual-worker-cache');
    if (!dir) return null;
    // the externals (onnxruntime: native) are required from the project's node_modules, not from beside the bundle
    const modules = external.length ? modulesDir(external[0]!) : null;
    const key = createHash('sha256').update(`${entry}\0${process.version}\0${external.join(',')}\0${modules}`).digest('hex').slice(0, 16);
    const index = join(dir, `${key}.json`);
    const cached = cache.freshBundle(index);
    if (cached) return cached;
    const bundle = join(dir, `${key}.js`);
    const tmp = `${bundle}.${process.pid}.tmp`;
    const result = cache.loadEsbuild().buildSync({
      entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: `node${process.versions.node.split('.')[0]}`,
      external: [...external], outfile: tmp, metafile: true, logLevel: 'silent', keepNames: true, absWorkingDir: process.cwd(),
      banner: modules ? { js: `module.paths.unshift(${JSON.stringify(modules)});` } : undefined,
    });
    // renamed into place, so a process starting its workers at the same time never reads half a file
    renameSync(tmp, bundle);
    cache.writeIndex(index, cache.inputsOf(result.metafile!, process.cwd()), bundle);
    return bundle;
  } catch {
    return null;
  }
}

/** The node_modules folder `name` resolves in from here. */
function modulesDir(name: string): string {
  const resolved = require.resolve(name);
  const at = resolved.lastIndexOf(`${sep}node_modules${sep}`);
  return resolved.slice(0, at + `${sep}node_modules`.length);
}
