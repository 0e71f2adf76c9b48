import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { SCORING_BUNDLE } from '../../infra/constructs/scoring';
import { bundleSeparateModules, withSeparateModules } from '../../infra/bundling/separate-modules';
import { copyOnnxRuntime, onnxRuntimeCommandHooks } from '../../infra/bundling/onnxruntime';
import { REPO_ROOT, tempDir } from './helpers';

/**
 * echarts (the HTML report) stays out of the handler's index.js and ships as node_modules/echarts/index.js beside it:
 * importing the handler (the cold start) does not compile or load it, and the report code in the bundle still renders
 * its charts with it.
 */
describe('separate modules beside the Lambda bundle', () => {
  const build = (dir: string, entry: { file?: string; contents?: string }) => buildSync({
    ...(entry.file ? { entryPoints: [entry.file] } : { stdin: { contents: entry.contents!, resolveDir: REPO_ROOT, loader: 'ts' } }),
    absWorkingDir: REPO_ROOT, bundle: true, platform: 'node', format: 'cjs', target: SCORING_BUNDLE.target,
    outfile: path.join(dir, 'index.js'), mainFields: [...SCORING_BUNDLE.mainFields], minify: true, keepNames: true, logLevel: 'error',
    external: [...SCORING_BUNDLE.externalModules, ...SCORING_BUNDLE.separateModules],
  });
  // cwd in the bundle's directory and NODE_PATH cleared: only what is beside index.js can be loaded
  const run = (dir: string, script: string) =>
    execFileSync(process.execPath, ['-e', script], { cwd: dir, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });

  test('the handler bundle leaves echarts out, and importing it loads none of it', () => {
    const dir = tempDir('separate-handler');
    build(dir, { file: path.join(REPO_ROOT, 'functions', 'handlers', 'score.ts') });
    const { name, bytes } = bundleSeparateModules(dir, SCORING_BUNDLE)[0]!;
    expect(name).toBe('echarts');
    expect(bytes).toBeGreaterThan(500_000);
    const handler = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
    expect(handler).toContain('require("echarts")');
    expect(handler).not.toContain('renderToSVGString:'); // echarts' own code is not inlined
    expect(handler.length).toBeLessThan(1.5 * 2 ** 20);
    if (process.platform !== 'linux' || process.arch !== 'x64') return; // the copied onnxruntime binaries are linux/x64
    copyOnnxRuntime(REPO_ROOT, dir, 'x64'); // the handler loads onnxruntime when imported
    const script = `require('./index.js'); process.stdout.write(JSON.stringify(Object.keys(require.cache)))`;
    const loaded = JSON.parse(run(dir, script)) as string[];
    expect(loaded).toContain(path.join(dir, 'index.js'));
    expect(loaded.some((f) => f.includes(`${path.sep}onnxruntime-node${path.sep}`))).toBe(true);
    expect(loaded.filter((f) => f.includes('echarts'))).toEqual([]);
  }, 60_000);

  test('the bundled report code renders a chart with the echarts beside it', () => {
    const dir = tempDir('separate-render');
    build(dir, {
      contents: [
        `import { renderSvg, lineSeries, COLOURS } from ${JSON.stringify(path.join(REPO_ROOT, 'reporting', 'render-svg'))};`,
        `const svg = renderSvg({ xAxis: { type: 'value' }, yAxis: { type: 'value' },`,
        `  series: [lineSeries('score', [[0, 1], [1, 3], [2, 2]], COLOURS.score)] }, 400, 200);`,
        `process.stdout.write(JSON.stringify({ svg, loaded: Object.keys(require.cache) }));`,
      ].join('\n'),
    });
    bundleSeparateModules(dir, SCORING_BUNDLE);
    const { svg, loaded } = JSON.parse(run(dir, `require('./index.js')`)) as { svg: string; loaded: string[] };
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('<path');
    expect(svg).toContain('width="400"');
    expect(loaded).toEqual([path.join(dir, 'index.js'), path.join(dir, 'node_modules', 'echarts', 'index.js')]);
  }, 60_000);

  test('the after-bundling hooks run the hooks given, then the separate modules into the output directory', () => {
    const commands = withSeparateModules(onnxRuntimeCommandHooks('x64'), SCORING_BUNDLE).afterBundling('/in dir', '/out dir');
    expect(commands).toHaveLength(2);
    expect(commands[0]).toContain(path.join('infra', 'bundling', 'onnxruntime'));
    expect(commands[1]).toContain(path.join('infra', 'bundling', 'separate-modules'));
    expect(commands[1]).toContain(`"/out dir" "${SCORING_BUNDLE.target}" "module,main" "echarts"`);
  });
});
