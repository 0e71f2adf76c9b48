import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

// The library as a user gets it: `npm run build` compiles lib/ to dist/, and a plain Node.js script
// `require('residual')`s it through package.json (real tfjs WASM training, real onnxruntime scoring).
const run = promisify(execFile);
const ROOT = join(__dirname, '../..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

jest.setTimeout(240_000);

beforeAll(async () => {
  await run(NPM, ['run', '--silent', 'build'], { cwd: ROOT, env });
});

test('npm run build emits the entry point package.json names, with declarations, and nothing from test/infra/bench', async () => {
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
  expect(pkg.exports['.']).toEqual({ types: './dist/lib/index.d.ts', default: './dist/lib/index.js' });
  for (const file of [pkg.main, pkg.types]) expect(existsSync(join(ROOT, file))).toBe(true);
  for (const folder of ['test', 'infra', 'bench', 'models']) expect(existsSync(join(ROOT, 'dist', folder))).toBe(false);
  const dts = await readFile(join(ROOT, 'dist/lib/train.d.ts'), 'utf8');
  expect(dts).toContain('export declare function train(data: TableInput | string, options?: TrainOptions): Promise<TrainedModel>;');
});

test('a plain Node script trains, saves, loads and scores with require("residual")', async () => {
  const { stdout } = await run(process.execPath, [join(__dirname, 'fixtures/use-library.js')], { cwd: ROOT, env, maxBuffer: 1 << 24 });
  const r = JSON.parse(stdout);
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
  expect(r.exports).toEqual(expect.arrayContaining(['train', 'loadModel', 'score', 'Model', 'TrainedModel', 'exportToOnnx', 'InputError']));
  expect(r.manifest).toMatchObject({ kind: 'dense-ae', features: ['a', 'b', 'c'], producer: { name: 'residual', version: pkg.version } });
  expect(r.manifest.training).toMatchObject({ backend: 'wasm', epochs: 4, data_rows: 400 });
  expect(r.history).toBe(4);
  expect(r.data).toEqual({ rowsIn: 400, rowsRejected: 0, droppedColumns: [] });
  expect(r.loadedManifestEqual).toBe(true);
  expect(r.sameScoresAsTrained).toBe(true);

  // detect: the broken row is rejected; the others, the one with a missing cell included, are scored
  expect([r.detect.rowsIn, r.detect.rowsOut, r.detect.rowsRejected]).toEqual([4, 3, 1]);
  expect(r.detect.rejected).toEqual([{ line: 3, index: 2, reason: "non-numeric value in column 'a' on line 3" }]);
  const [normal, spike, gappy] = r.detect.rows;
  expect([normal.index, spike.index, gappy.index]).toEqual([0, 1, 3]);
  expect(spike.anomalyScore).toBeGreaterThan(normal.anomalyScore * 10);
  expect(spike).toMatchObject({ isAnomaly: true, topFeatures: expect.arrayContaining(['c']) });
  expect(spike.anomalyScore).toBeGreaterThan(r.manifest.threshold.value);
  expect(normal.isAnomaly).toBe(normal.anomalyScore > r.manifest.threshold.value);

  // impute fills b of row 3 and leaves the observed cells as they were
  expect(r.impute.cellsImputed).toBe(1);
  const filled = r.impute.rows.find((row: { index: number }) => row.index === 3);
  expect(filled).toMatchObject({ imputed: ['b'], values: { a: 0.5, c: 1.4 } });
  expect(Number.isFinite(filled.values.b)).toBe(true);

  // score(): the CLI's file-to-file path, with the same numbers as model.score
  expect(r.summary).toMatchObject({ rows_in: 3, rows_out: 2, rows_rejected: 1, mode: 'detect' });
  expect(r.written[0]).toBe('a,b,c,anomaly_score,anomaly_probability,is_anomaly,top_features,top_errors');
  const writtenScores = r.written.slice(1).map((l: string) => Math.fround(Number(l.split(',')[3])));
  expect(writtenScores).toEqual([Math.fround(normal.anomalyScore), Math.fround(spike.anomalyScore)]);
  expect(r.unknownModel).toEqual({ name: 'UnknownModelError', isUnknownModelError: true, isResidualError: true });
});

test('an ES module imports the named exports: import { train, loadModel, score } from "residual"', async () => {
  const { stdout } = await run(process.execPath, [join(__dirname, 'fixtures/import-library.mjs')], { cwd: ROOT, env });
  const r = JSON.parse(stdout);
  const names = ['train', 'loadModel', 'score', 'Model', 'exportToOnnx', 'InputError', 'UnknownModelError'];
  expect(r.types).toEqual(Object.fromEntries(names.map((n) => [n, 'function'])));
  expect(r.modes).toEqual(['detect', 'impute', 'denoise', 'embed']);
});

test('the declarations type a TypeScript user\'s code: options, modes and per-mode rows are checked', async () => {
  // written under dist/ so that `import 'residual'` resolves the way a user's does (package.json "exports" → types)
  const dir = join(ROOT, 'dist/.consumer');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'use.ts'), `
import { loadModel, train, type DetectRow, type Manifest, type ScoreMode, type TrainOptions } from 'residual';
export async function use(): Promise<number> {
  const options: TrainOptions = { kind: 'vae', epochs: 3, exclude: ['t'], threshold: 'sigma:3' };
  const model = await train([{ t: 'x', a: 1 }], options);
  const manifest: Manifest = model.manifest;
  const mode: ScoreMode = 'impute';
  const detected = await model.score([{ a: 1 }]);
  const row: DetectRow = detected.rows[0]!;
  const imputed = await (await loadModel('m')).score('in.csv', { mode });
  // @ts-expect-error not a model kind
  await train([], { kind: 'forest' });
  // @ts-expect-error detect rows have no 'values'
  detected.rows[0]!.values;
  return (row.anomalyScore ?? 0) + manifest.features.length + imputed.rowsOut;
}
`);
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const flags = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022'];
  flags.push('--types', 'node', '--skipLibCheck');
  const result = await run(process.execPath, [tsc, ...flags, join(dir, 'use.ts')], { cwd: ROOT, env }).catch((e) => e);
  expect(`${result.stdout ?? ''}${result.stderr ?? ''}`).toBe('');
  expect(result.code ?? 0).toBe(0);
});
