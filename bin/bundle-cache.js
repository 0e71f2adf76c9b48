'use strict';
// The CLI's TypeScript sources bundled into one CommonJS file with esbuild (which tsx itself runs on), cached under
// the temp directory and rebuilt when any source file the bundle was built from changes (mtime or size). Starting
// from the bundle skips tsx's loader, which compiles (or reads from its cache) and resolves the CLI's ~300 modules one
// by one on every start. Written by hand because esbuild has no cache of its own. Every package under node_modules
// stays external (required from the project's node_modules at run time): native addons (onnxruntime-node), the wasm
// files tfjs reads beside its package, echarts. Null wherever anything goes wrong (no esbuild, a read-only temp
// directory, a failed build): bin/residual.js then runs the sources through tsx, as before.
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

/** `<tmp>/<prefix>-<uid>`: one folder per user, so a shared /tmp never hands one user's bundle to another. */
function cacheDirPath(prefix) {
  const uid = typeof process.getuid === 'function' ? process.getuid() : os.userInfo().username;
  return path.join(os.tmpdir(), `${prefix}-${uid}`);
}

/** The CLI bundle's cache folder. */
const CLI_CACHE = 'residual-bundle-cache';
const cacheDir = () => cacheDirPath(CLI_CACHE);

/**
 * The cache folder `<tmp>/<prefix>-<uid>`, made if need be, or null where it is not a folder only this user can write:
 * code is only run from a folder this user owns and no one else can write to (the temp directory may be shared).
 */
function ownedCacheDir(prefix) {
  const dir = cacheDirPath(prefix);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const s = fs.statSync(dir);
    const mine = typeof process.getuid !== 'function' || s.uid === process.getuid();
    return s.isDirectory() && mine && (s.mode & 0o022) === 0 ? dir : null;
  } catch {
    return null;
  }
}

/** Every source file an esbuild metafile names (paths relative to `root`): [mtimeMs, size], what freshBundle checks. */
function inputsOf(metafile, root) {
  const inputs = {};
  for (const input of Object.keys(metafile.inputs)) {
    const file = path.resolve(root, input);
    const s = fs.statSync(file);
    inputs[file] = [s.mtimeMs, s.size];
  }
  return inputs;
}

/** `contents` at `file`, written under a temporary name and renamed into place: a reader sees the old file or the new one whole. */
function writeAtomic(file, contents) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, contents);
  fs.renameSync(tmp, file);
}

/** The index of a bundle built from `inputs`, written after the bundle itself (so a fresh index names a whole bundle). */
function writeIndex(index, inputs, bundle) {
  writeAtomic(index, JSON.stringify({ inputs, bundle }));
}

/** What the bundle depends on besides its inputs: this file (the build options), the checkout, Node's version. */
function cacheKey(entry) {
  const self = fs.statSync(__filename);
  const text = [ROOT, entry, process.version, self.mtimeMs, self.size].join('\0');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The bundle of `entry` (a path under the checkout) if the cache holds one built from the files as they are now. */
function freshBundle(index) {
  let cached;
  try {
    cached = JSON.parse(fs.readFileSync(index, 'utf8'));
  } catch {
    return null;
  }
  try {
    for (const [file, [mtime, size]] of Object.entries(cached.inputs)) {
      const s = fs.statSync(file);
      if (s.mtimeMs !== mtime || s.size !== size) return null;
    }
    fs.statSync(cached.bundle);
    return cached.bundle;
  } catch {
    return null;
  }
}

/** esbuild from the project, else the copy tsx depends on (esbuild is a devDependency; tsx a dependency). */
function loadEsbuild() {
  try {
    return require('esbuild');
  } catch {
    const tsx = path.dirname(require.resolve('tsx/package.json', { paths: [ROOT] }));
    return require(require.resolve('esbuild', { paths: [tsx] }));
  }
}

/**
 * Each source file that reads `__dirname` or `__filename` gets its own original values (a file-scoped `var`, which
 * esbuild renames apart from the other modules'): the worker pool finds worker-main.ts beside itself, the producer
 * version is read from the package.json above training/, as when the sources run through tsx.
 */
const sourcePaths = {
  name: 'residual-source-paths',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const text = await fs.promises.readFile(args.path, 'utf8');
      if (!/\b__(dirname|filename)\b/.test(text)) return { contents: text, loader: 'ts' };
      const prefix = `var __dirname = ${JSON.stringify(path.dirname(args.path))}, __filename = ${JSON.stringify(args.path)};`;
      // on the first line, so the file's own line numbers stay as they are
      return { contents: prefix + text, loader: 'ts' };
    });
  },
};

async function build(entry, index, dir) {
  const esbuild = loadEsbuild();
  const bundle = path.join(dir, `${path.basename(index, '.json')}.js`);
  const result = await esbuild.build({
    entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external', write: false, outfile: bundle, metafile: true, logLevel: 'silent', keepNames: true,
    absWorkingDir: ROOT, plugins: [sourcePaths], sourcemap: 'linked', sourcesContent: false,
    // packages are required from the checkout's node_modules, not from beside the bundle in the temp directory
    banner: { js: `module.paths.unshift(...${JSON.stringify(require.resolve.paths(path.join(ROOT, 'x')))});` },
  });
  const inputs = inputsOf(result.metafile, ROOT);
  const code = result.outputFiles.find((f) => f.path.endsWith('.js')).contents;
  const map = result.outputFiles.find((f) => f.path.endsWith('.js.map')).contents;
  // the source map (stack traces name the TypeScript files and lines, as under tsx) before the bundle that links it
  writeAtomic(`${bundle}.map`, map);
  writeAtomic(bundle, code);
  writeIndex(index, inputs, bundle);
  return bundle;
}

/** A cached bundle of `entry` (built now if the cache has none that is fresh), or null: run the sources through tsx. */
async function bundledEntry(entry) {
  try {
    const dir = ownedCacheDir(CLI_CACHE);
    if (!dir) return null;
    const index = path.join(dir, `${cacheKey(entry)}.json`);
    return freshBundle(index) ?? (await build(entry, index, dir));
  } catch {
    return null;
  }
}

/** Whether the temp folder can be written at all (tsx's own cache fails to start where it cannot). */
function tempWritable() {
  try {
    fs.accessSync(os.tmpdir(), fs.constants.W_OK);
    return fs.statSync(os.tmpdir()).isDirectory();
  } catch {
    return false;
  }
}

module.exports = { bundledEntry, cacheDir, freshBundle, inputsOf, loadEsbuild, ownedCacheDir, tempWritable, writeAtomic, writeIndex };
