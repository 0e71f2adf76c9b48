import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { parseManifest } from '../../core/manifest';
import { createOnnxScorer } from '../../scoring/adapters/onnx-scorer';
import { readArtifact } from './fixtures';

export interface OrtVariant {
  name: string;
  rowsPerSecond: number;
  /** rows per second of this process's CPU time (user + system): what a busy shared machine distorts least */
  rowsPerCpuSecond: number;
  /** onnxruntime-python for the same call, measured beside it; null where Python has no counterpart */
  python: { rowsPerSecond: number; rowsPerCpuSecond: number } | null;
}

type Run = () => Promise<unknown>;

/**
 * onnxruntime-node and onnxruntime-python side by side on the scoring-head model, one intra-op thread, batch
 * `batch`: several ways of calling session.run, each the best of `windows` timed windows.
 */
export async function ortSideBySide(modelDir: string, batch = 4096, seconds = 1, windows = 3): Promise<OrtVariant[]> {
  const { onnx, manifest } = readArtifact(modelDir);
  const f = (manifest.features as string[]).length;
  const x = Float32Array.from({ length: batch * f }, (_, i) => Math.sin(i));
  const mask = new Float32Array(batch * f).fill(1);
  const dims = [batch, f];
  const feeds = { x: new Tensor('float32', x, dims), mask: new Tensor('float32', mask, dims) };
  const open = (level: InferenceSession.SessionOptions['graphOptimizationLevel'], extra: InferenceSession.SessionOptions = {}) =>
    InferenceSession.create(onnx, {
      intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: level, ...extra,
    });
  const all = await open('all');
  const basic = await open('basic');
  const noSpin = await open('all', { extra: { session: { intra_op: { allow_spinning: '0' } } } });
  const allOutputs = all.outputNames;
  const out = (n: number) => new Tensor('float32', new Float32Array(n), n === batch ? [batch] : [batch, n / batch]);
  const pre = { score: out(batch), feature_error: out(batch * f) };
  const latentDim = typeof manifest.latent_dim === 'number' ? manifest.latent_dim : 0;
  const preAll: Record<string, Tensor> = { ...pre, reconstruction: out(batch * f) };
  if (allOutputs.includes('latent')) preAll.latent = out(batch * latentDim);
  const scorer = await createOnnxScorer(onnx, parseManifest(manifest), { threads: 1 });
  const py = await startPython(modelDir, batch);
  const newFeeds = () => ({ x: new Tensor('float32', x, dims), mask: new Tensor('float32', mask, dims) });
  const fresh = () => ({ score: out(batch), feature_error: out(batch * f) });
  // [name, node run, the Python variant measured beside it]
  const variants: [string, Run, string | null][] = [
    ['all outputs (sess.run(None) in Python)', () => all.run(feeds), 'all'],
    ['all outputs into pre-allocated tensors', () => all.run(feeds, preAll), null],
    ['detect outputs only (score, feature_error)', () => all.run(feeds, ['score', 'feature_error']), 'detect'],
    ['detect outputs into pre-allocated tensors (Python: IOBinding)', () => all.run(feeds, pre), 'detect_bound'],
    ['detect outputs into tensors allocated per run', () => all.run(feeds, fresh()), null],
    ['detect outputs, input tensors created per run', () => all.run(newFeeds(), pre), null],
    ['detect outputs, graphOptimizationLevel basic', () => basic.run(feeds, pre), null],
    ['detect outputs, intra-op spinning off', () => noSpin.run(feeds, pre), null],
    ["residual's scorer (scoring/adapters/onnx-scorer.ts), detect", () => scorer.run(x, mask, batch, ['score', 'featureError']), null],
  ];
  const result: OrtVariant[] = variants.map(([name, , p]) => ({
    name, rowsPerSecond: 0, rowsPerCpuSecond: 0, python: p === null ? null : { rowsPerSecond: 0, rowsPerCpuSecond: 0 },
  }));
  for (const [, run] of variants) for (let i = 0; i < 3; i++) await run();
  try {
    // windows interleave the variants and the two runtimes, so a burst of load from other users lands on all of them
    for (let w = 0; w < windows; w++) {
      for (let v = 0; v < variants.length; v++) {
        const [, run, pyName] = variants[v]!;
        let rows = 0;
        const start = performance.now();
        const cpu = process.cpuUsage();
        while (performance.now() - start < seconds * 1000) {
          await run();
          rows += batch;
        }
        const used = process.cpuUsage(cpu);
        const r = result[v]!;
        r.rowsPerSecond = Math.max(r.rowsPerSecond, rows / ((performance.now() - start) / 1000));
        r.rowsPerCpuSecond = Math.max(r.rowsPerCpuSecond, rows / ((used.user + used.system) / 1e6));
        if (pyName === null) continue;
        const answer = await py.ask(`${pyName} ${seconds}`);
        r.python!.rowsPerSecond = Math.max(r.python!.rowsPerSecond, answer.rows_per_s as number);
        r.python!.rowsPerCpuSecond = Math.max(r.python!.rowsPerCpuSecond, answer.rows_per_cpu_s as number);
      }
    }
    versions = (await py.ask('versions')) as Record<string, string>;
  } finally {
    py.close();
    await Promise.all([all.release(), basic.release(), noSpin.release(), scorer.release()]);
  }
  return result;
}

export let versions: Record<string, string> = {};

/** bench/score/ort_python.py as a child that answers one command per line. */
async function startPython(modelDir: string, batch: number) {
  const child = spawn('python3', ['bench/score/ort_python.py', join(modelDir, 'model.onnx'), String(batch)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error('bench/score/ort_python.py stopped (pip install onnxruntime numpy)');
    return JSON.parse(line.value) as Record<string, unknown>;
  };
  await next();
  return {
    ask: (command: string) => {
      child.stdin!.write(`${command}\n`);
      return next();
    },
    close: () => child.kill(),
  };
}
