import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { Template } from 'aws-cdk-lib/assertions';
import { Scoring, SCORING_BUNDLE } from '../../infra/constructs/scoring';
import { Storage } from '../../infra/constructs/storage';
import { copyOnnxRuntime, onnxRuntimeCommandHooks } from '../../infra/bundling/onnxruntime';
import { bundleScoringWorker, SCORING_WORKER_FILE, withScoringWorker } from '../../infra/bundling/scoring-worker';
import { fixedModelArtifact } from '../scoring/fixtures/fixed-model';
import { emptyStack, placeholderHandler, REPO_ROOT, tempDir, testApp } from './helpers';

/**
 * The scoring Lambda's zip holds the worker thread's own bundle (worker-main.js beside index.js), and a bundle laid
 * out that way scores in worker threads: without the file scoring/parallel/worker-pool.ts finds no worker and the
 * Lambda stays on one thread.
 */
describe('the scoring worker in the Lambda bundle', () => {
  test('synth with bundling writes worker-main.js beside index.js and the onnxruntime copy', () => {
    const outdir = tempDir('synth');
    const app = testApp({ bundle: true, outdir });
    const stack = emptyStack(app, 'Bundled');
    const storage = new Storage(stack, 'Storage');
    const buckets = { rawBucket: storage.rawBucket, resultsBucket: storage.resultsBucket, modelsBucket: storage.modelsBucket };
    new Scoring(stack, 'Scoring', { ...buckets, ...placeholderHandler() });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler' });
    app.synth();
    // the function's staged asset: the one asset directory holding a bundled index.js
    const assets = fs.readdirSync(outdir).filter((d) => d.startsWith('asset.') && fs.existsSync(path.join(outdir, d, 'index.js')));
    expect(assets).toHaveLength(1);
    const asset = path.join(outdir, assets[0]!);
    const files = fs.readdirSync(asset);
    expect(files).toEqual(expect.arrayContaining(['index.js', SCORING_WORKER_FILE, 'node_modules']));
    const worker = fs.readFileSync(path.join(asset, SCORING_WORKER_FILE), 'utf8');
    // the worker's bundle keeps onnxruntime external (one copy beside the bundle serves both)
    expect(worker).toContain('require("onnxruntime-node")');
    expect(fs.statSync(path.join(asset, SCORING_WORKER_FILE)).size).toBeLessThan(2 << 20);
    // echarts (the report) ships on its own beside the handler (infra/bundling/separate-modules.ts)
    expect(fs.existsSync(path.join(asset, 'node_modules', 'echarts', 'index.js'))).toBe(true);
  }, 120_000);

  test('the after-bundling hooks run the onnxruntime copy, then the worker bundle into the output directory', () => {
    const commands = withScoringWorker(onnxRuntimeCommandHooks('x64'), SCORING_BUNDLE).afterBundling('/in dir', '/out dir');
    expect(commands).toHaveLength(2);
    expect(commands[0]).toContain(path.join('infra', 'bundling', 'onnxruntime'));
    expect(commands[1]).toContain(path.join('infra', 'bundling', 'scoring-worker'));
    expect(commands[1]).toContain(`"/out dir" "${SCORING_BUNDLE.target}" "module,main" "onnxruntime-node,onnxruntime-common"`);
  });

  test('a bundle with worker-main.js beside it scores a CSV in worker threads, byte for byte as on one thread', async () => {
    if (process.platform !== 'linux' || process.arch !== 'x64') return; // the copied onnxruntime binaries are linux/x64
    const dir = tempDir('worker-bundle');
    const { manifest, onnx } = await fixedModelArtifact({ features: ['a', 'b'], threshold: 2 });
    fs.writeFileSync(path.join(dir, 'model.onnx'), onnx);
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i},${(i % 17) / 3},${(i % 5) - 2}`);
    fs.writeFileSync(path.join(dir, 'in.csv'), `id,a,b\n${rows.join('\n')}\n`);
    const entry = path.join(dir, 'entry.ts');
    const src = (file: string) => JSON.stringify(path.join(REPO_ROOT, file));
    fs.writeFileSync(entry, [
      `import { readFileSync, createReadStream } from 'node:fs';`,
      `import { writeScoredOutput } from ${src('scoring/write-scored-output')};`,
      `import { createOnnxScorer } from ${src('scoring/adapters/onnx-scorer')};`,
      `import { FileObjectStore } from ${src('storage/adapters/file-object-store')};`,
      `import { readTable } from ${src('core/io')};`,
      `async function run(threads: number, where: { worker: number; main: number }) {`,
      `  const manifest = JSON.parse(readFileSync('manifest.json', 'utf8'));`,
      `  const model = { manifest, scorer: await createOnnxScorer(readFileSync('model.onnx'), manifest) };`,
      `  const bytes = () => createReadStream('in.csv', { highWaterMark: 16384 });`,
      `  const output = { bucket: '', key: 'out-' + threads + '.csv' };`,
      `  await writeScoredOutput({ chunks: readTable(bytes(), { format: 'csv' }), model, mode: 'detect', inputFormat: 'csv',`,
      `    outputFormat: 'csv', store: new FileObjectStore(), output, input: { uri: 'in.csv' },`,
      `    parallel: { bytes: bytes(), threads, pieceBytes: 32768, onPiece: (w) => void where[w]++ } });`,
      `  return readFileSync(output.key);`,
      `}`,
      `(async () => {`,
      `  const where = { worker: 0, main: 0 };`,
      `  const one = await run(1, where);`,
      `  const two = await run(2, where);`,
      `  process.stdout.write(JSON.stringify({ where, same: one.equals(two), bytes: two.length }));`,
      `  process.exit(0);`,
      `})();`,
    ].join('\n'));
    buildSync({
      entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: SCORING_BUNDLE.target,
      outfile: path.join(dir, 'index.js'), mainFields: [...SCORING_BUNDLE.mainFields], external: [...SCORING_BUNDLE.externalModules],
      minify: true, keepNames: true, logLevel: 'error',
    });
    bundleScoringWorker(dir, SCORING_BUNDLE);
    copyOnnxRuntime(REPO_ROOT, dir, 'x64');
    // cwd in the bundle's directory and NODE_PATH cleared: only what is beside index.js can be loaded
    const out = execFileSync(process.execPath, ['index.js'], { cwd: dir, env: { PATH: process.env.PATH ?? '' } }).toString();
    const result = JSON.parse(out) as { where: { worker: number; main: number }; same: boolean; bytes: number };
    expect(result.where.main).toBe(0);
    expect(result.where.worker).toBeGreaterThan(5);
    expect(result.same).toBe(true);
    expect(result.bytes).toBeGreaterThan(100_000);
  }, 60_000);
});
