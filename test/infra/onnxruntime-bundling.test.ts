import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyOnnxRuntime, onnxRuntimeCommandHooks, onnxRuntimeFiles } from '../../infra/bundling/onnxruntime';
import { doublingOnnxModel, REPO_ROOT, tempDir } from './helpers';

describe('onnxruntime bundling', () => {
  test('ships only the Linux binaries of the requested architecture', () => {
    const x64 = onnxRuntimeFiles(REPO_ROOT, 'x64').map((f) => f.to.split(path.sep).join('/'));
    const binaries = x64.filter((f) => f.includes('/bin/'));
    expect(binaries.length).toBeGreaterThanOrEqual(2);
    expect(binaries.every((f) => /^onnxruntime-node\/bin\/napi-v\d+\/linux\/x64\//.test(f))).toBe(true);
    expect(binaries).toEqual(expect.arrayContaining([expect.stringMatching(/onnxruntime_binding\.node$/), expect.stringMatching(/libonnxruntime\.so/)]));
  });

  test('arm64 selects the arm64 binaries', () => {
    const arm = onnxRuntimeFiles(REPO_ROOT, 'arm64').map((f) => f.to.split(path.sep).join('/')).filter((f) => f.includes('/bin/'));
    expect(arm.length).toBeGreaterThanOrEqual(2);
    expect(arm.every((f) => f.includes('/linux/arm64/'))).toBe(true);
  });

  test('ships no source maps, typings or ESM build', () => {
    const files = onnxRuntimeFiles(REPO_ROOT, 'x64').map((f) => f.to.split(path.sep).join('/'));
    expect(files.filter((f) => /\.(map|d\.ts)$/.test(f) || f.includes('/dist/esm/'))).toEqual([]);
  });

  test('the copied runtime loads on its own and runs a model', () => {
    if (process.platform !== 'linux' || process.arch !== 'x64') return; // the binaries under test are linux/x64
    const out = tempDir('ort');
    const { bytes } = copyOnnxRuntime(REPO_ROOT, out, 'x64');
    expect(bytes).toBeGreaterThan(10 * 1024 * 1024);
    const modelFile = path.join(out, 'model.onnx');
    fs.writeFileSync(modelFile, doublingOnnxModel());
    const script = [
      "const ort = require('onnxruntime-node');",
      `if (!require.resolve('onnxruntime-node').startsWith(${JSON.stringify(out)})) throw new Error('resolved outside the bundle');`,
      `ort.InferenceSession.create(${JSON.stringify(modelFile)}).then(async (s) => {`,
      "  const r = await s.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3]), [1, 3]) });",
      '  process.stdout.write(JSON.stringify(Array.from(r.y.data)));',
      '});',
    ].join('\n');
    // NODE_PATH cleared and cwd in the copy: only the copied node_modules can satisfy the require.
    const stdout = execFileSync(process.execPath, ['-e', script], { cwd: out, env: { PATH: process.env.PATH ?? '' } }).toString();
    expect(JSON.parse(stdout)).toEqual([2, 4, 6]);
  });

  test('the after-bundling hook runs the copy for the architecture with the bundling directories', () => {
    const [command] = onnxRuntimeCommandHooks('arm64').afterBundling('/in dir', '/out dir');
    expect(command).toContain('"/in dir" "/out dir" "arm64"');
    expect(command).toContain(path.join('infra', 'bundling', 'onnxruntime'));
  });
});
