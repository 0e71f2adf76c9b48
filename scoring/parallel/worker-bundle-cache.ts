import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, sep } from 'node:path';

interface CacheEntry {
  /** every source file the bundle was built from: [mtimeMs, size] */
  inputs: Record<string, [number, number]>;
  bundle: string;
}

/**
 * The worker's TypeScript entry bundled into one CommonJS file (esbuild, which tsx itself runs on), cached under
 * the temp directory and rebuilt when any of its source files changes (mtime or size). Where the CLI runs from
 * sources a worker started through tsx's loader spends ~0.7 s of CPU compiling ~40 modules; one started from the
 * bundle, ~0.1 s, and the bundle is built once (~0.2 s). Null where esbuild cannot be loaded or the build fails: the
 * caller then starts the worker through tsx. Written by hand because esbuild has no cache of its own and tsx's
 * transform cache still compiles module by module.
 */
export function bundledWorker(entry: string, external: readonly string[]): string | null {
  // one folder per user, which only that user may write: the bundle is code this process runs (the temp folder may be shared)
  const dir = join(tmpdir(), `residual-worker-cache-${process.getuid?.() ?? userInfo().username}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const s = statSync(dir);
    if (!s.isDirectory() || (process.getuid && s.uid !== process.getuid()) || (s.mode & 0o022) !== 0) return null;
  } catch {
    return null;
  }
  // the externals (onnxruntime: native) are required from the project's node_modules, not from beside the bundle
  const modules = external.length ? modulesDir(external[0]!) : null;
  const key = createHash('sha256').update(`${entry}\0${process.version}\0${external.join(',')}\0${modules}`).digest('hex').slice(0, 16);
  const index = join(dir, `${key}.json`);
  try {
    const cached = JSON.parse(readFileSync(index, 'utf8')) as CacheEntry;
    if (fresh(cached)) return cached.bundle;
  } catch {
    // no cache yet, or one that cannot be read: build
  }
  try {
    const esbuild = loadEsbuild();
    const bundle = join(dir, `${key}.js`);
    const tmp = `${bundle}.${process.pid}.tmp`;
    const result = esbuild.buildSync({
      entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: `node${process.versions.node.split('.')[0]}`,
      external: [...external], outfile: tmp, metafile: true, logLevel: 'silent', keepNames: true, absWorkingDir: process.cwd(),
      banner: modules ? { js: `module.paths.unshift(${JSON.stringify(modules)});` } : undefined,
    });
    const inputs: CacheEntry['inputs'] = {};
    const root = process.cwd();
    for (const input of Object.keys(result.metafile!.inputs)) {
      const file = join(root, input);
      const s = statSync(file);
      inputs[file] = [s.mtimeMs, s.size];
    }
    // renamed into place, so a process starting its workers at the same time never reads half a file
    renameSync(tmp, bundle);
    writeFileSync(`${index}.${process.pid}.tmp`, JSON.stringify({ inputs, bundle } satisfies CacheEntry));
    renameSync(`${index}.${process.pid}.tmp`, index);
    return bundle;
  } catch {
    return null;
  }
}

function fresh(entry: CacheEntry): boolean {
  try {
    statSync(entry.bundle);
    return Object.entries(entry.inputs).every(([file, [mtime, size]]) => {
      const s = statSync(file);
      return s.mtimeMs === mtime && s.size === size;
    });
  } catch {
    return false;
  }
}

/** The node_modules folder `name` resolves in from here. */
function modulesDir(name: string): string {
  const resolved = require.resolve(name);
  const at = resolved.lastIndexOf(`${sep}node_modules${sep}`);
  return resolved.slice(0, at + `${sep}node_modules`.length);
}

/**
 * esbuild from this project, else the copy tsx depends on. Required through createRequire, so a bundler (the
 * Lambda's esbuild build) does not pull esbuild into a bundle: a bundle's worker is already JavaScript.
 */
function loadEsbuild(): typeof import('esbuild') {
  const load = createRequire(__filename);
  try {
    return load('esbuild') as typeof import('esbuild');
  } catch {
    const from = dirname(load.resolve('tsx/package.json'));
    return load(load.resolve('esbuild', { paths: [from] })) as typeof import('esbuild');
  }
}
