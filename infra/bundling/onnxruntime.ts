import * as fs from 'node:fs';
import * as path from 'node:path';
import { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { MissingAssetError } from '../errors';

/** Node's name for a Lambda architecture (`process.arch` inside the function). */
export type NodeArch = 'x64' | 'arm64';

/** Modules kept out of the esbuild bundle and copied next to it; both must be one copy (the backend registry lives in common). */
export const ONNX_RUNTIME_EXTERNALS = ['onnxruntime-node', 'onnxruntime-common'] as const;

/** One file to ship: absolute source, destination relative to the bundle's `node_modules/`. */
export interface ShippedFile {
  readonly from: string;
  readonly to: string;
}

function listFiles(dir: string, keep: (name: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(full, keep);
    return entry.isFile() && keep(entry.name) ? [full] : [];
  });
}

/** The directory of an installed package as Node resolves it from `from` (works when `exports` hides package.json). */
function packageDir(name: string, from: string): string {
  let dir = path.dirname(require.resolve(name, { paths: [from] }));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === name) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new MissingAssetError(from, `package '${name}'`);
    dir = parent;
  }
}

/**
 * The runtime files of onnxruntime-node and onnxruntime-common for Linux on one architecture:
 * package.json files, the CommonJS JavaScript (no maps, no typings, no ESM build) and
 * `bin/napi-v*\/linux/<arch>/` (the N-API binding plus libonnxruntime.so.1, found through its $ORIGIN runpath).
 * Binaries of other platforms and architectures are left out.
 */
export function onnxRuntimeFiles(projectRoot: string, arch: NodeArch): ShippedFile[] {
  const nodeDir = packageDir('onnxruntime-node', projectRoot);
  const nodePkg = path.join(nodeDir, 'package.json');
  const commonDir = packageDir('onnxruntime-common', nodeDir);
  const isRuntime = (name: string) => name.endsWith('.js') || name === 'package.json';
  const binRoot = path.join(nodeDir, 'bin');
  const napiDirs = fs.existsSync(binRoot) ? fs.readdirSync(binRoot).filter((d) => d.startsWith('napi-v')) : [];
  const binaries = napiDirs.flatMap((d) => listFiles(path.join(binRoot, d, 'linux', arch), () => true));
  if (!binaries.some((f) => f.endsWith('.node'))) {
    throw new MissingAssetError(path.join(binRoot, 'napi-v*', 'linux', arch), `onnxruntime-node Linux ${arch} binding`);
  }
  const under = (dir: string, moduleName: string) => (file: string) => ({
    from: file,
    to: path.join(moduleName, path.relative(dir, file)),
  });
  return [
    ...[nodePkg, ...listFiles(path.join(nodeDir, 'dist'), isRuntime), ...binaries].map(under(nodeDir, 'onnxruntime-node')),
    ...[path.join(commonDir, 'package.json'), ...listFiles(path.join(commonDir, 'dist', 'cjs'), isRuntime)].map(
      under(commonDir, 'onnxruntime-common'),
    ),
  ];
}

/** Copies {@link onnxRuntimeFiles} into `<outputDir>/node_modules/`; returns the file count and bytes copied. */
export function copyOnnxRuntime(projectRoot: string, outputDir: string, arch: NodeArch): { files: number; bytes: number } {
  let bytes = 0;
  const files = onnxRuntimeFiles(projectRoot, arch);
  for (const file of files) {
    const to = path.join(outputDir, 'node_modules', file.to);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(file.from, to);
    bytes += fs.statSync(to).size;
  }
  return { files: files.length, bytes };
}

/**
 * NodejsFunction command hooks that, after esbuild, copy the onnxruntime runtime for `arch` into the
 * bundle. The copy runs this file under tsx, so it works the same on Linux, macOS and Windows.
 */
export function onnxRuntimeCommandHooks(arch: NodeArch): ICommandHooks {
  const tsxRegister = require.resolve('tsx/cjs');
  const quote = (s: string) => `"${s}"`;
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => [
      [process.execPath, '--require', tsxRegister, __filename, inputDir, outputDir, arch].map(quote).join(' '),
    ],
  };
}

function isNodeArch(value: string | undefined): value is NodeArch {
  return value === 'x64' || value === 'arm64';
}

if (require.main === module) {
  const [projectRoot, outputDir, arch] = process.argv.slice(2);
  if (!projectRoot || !outputDir || !isNodeArch(arch)) {
    process.stderr.write(`usage: onnxruntime.ts <projectRoot> <outputDir> <x64|arm64>, got ${JSON.stringify(process.argv.slice(2))}\n`);
    process.exit(2);
  }
  const { files, bytes } = copyOnnxRuntime(projectRoot, outputDir, arch);
  process.stdout.write(`copied ${files} onnxruntime files (${(bytes / 1048576).toFixed(1)} MiB) for linux/${arch}\n`);
}
