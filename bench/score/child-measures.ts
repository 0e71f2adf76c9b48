import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { SCORING_BUNDLE } from '../../infra/constructs/scoring';
import { bundleSeparateModules } from '../../infra/bundling/separate-modules';
import { BENCH_DIR } from './fixtures';

/** Concatenates the benchmark CSV's rows `times` times under one header (~2 GB for 16×). */
export async function ensureBigCsv(csv: string, times = 16): Promise<string> {
  const file = join(BENCH_DIR, `big-${times}x.csv`);
  if (existsSync(file)) return file;
  const out = createWriteStream(`${file}.partial`, { highWaterMark: 4 << 20 });
  for (let i = 0; i < times; i++) {
    let first = i > 0;
    for await (const chunk of createReadStream(csv, { highWaterMark: 4 << 20 })) {
      let buf = chunk as Buffer;
      if (first) {
        buf = buf.subarray(buf.indexOf(10) + 1);
        first = false;
      }
      if (!out.write(buf)) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
  renameSync(`${file}.partial`, file);
  return file;
}

/** Peak RSS of a fresh `residual score` process on a large CSV (the output is deleted afterwards). */
export function peakRss(modelDir: string, csv: string): { maxRssMB: number; gb: number; seconds: number } {
  const output = join(BENCH_DIR, 'scored-big.csv');
  const line = execFileSync(process.execPath, ['--import', 'tsx', 'bench/score/rss-child.ts', modelDir, csv, output], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  for (const f of [output, `${output}.summary.json`]) rmSync(f, { force: true });
  const r = JSON.parse(line.trim().split('\n').pop()!) as { maxRssMB: number; ms: number };
  return { maxRssMB: r.maxRssMB, gb: statSync(csv).size / 1e9, seconds: r.ms / 1000 };
}

/** Bundles the handler the way the CDK stack does (infra/constructs/scoring.ts: esbuild, minified, onnxruntime-node, echarts external). */
export async function bundleHandler(): Promise<string> {
  const outfile = resolve(BENCH_DIR, 'handler-bundle', 'index.js');
  await build({
    entryPoints: ['functions/handlers/score.ts'],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    outfile,
    external: ['onnxruntime-node', ...SCORING_BUNDLE.separateModules],
    minify: true,
    keepNames: true,
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  // echarts in a file of its own beside the bundle (node_modules/echarts), as the CDK stack ships it
  bundleSeparateModules(dirname(outfile), SCORING_BUNDLE);
  return outfile;
}

/**
 * Cold start: a fresh process imports the bundle and serves its first event (model fetch + session
 * create). Asynchronous on purpose: the local S3 server the child talks to lives in this process.
 */
export async function coldStart(
  bundle: string,
  env: Record<string, string>,
  event: unknown,
  model: string,
): Promise<{ importMs: number; loadMs: number; firstEventMs: number; bootMs: number }> {
  const { stdout: line } = await promisify(execFile)(
    process.execPath,
    ['bench/score/cold-start-child.js', bundle, JSON.stringify(event), model],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        ...env,
        NODE_PATH: resolve('node_modules'),
        POWERTOOLS_METRICS_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    },
  );
  return JSON.parse(line.trim().split('\n').pop()!);
}
