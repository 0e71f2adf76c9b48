/**
 * Issue 12 speed: auto-series' graph alone, the windows graph (inputs [N, T, F], export-series-windows.ts, the
 * graph of older manifests) side by side with the segment graph (inputs [1, N + T − 1, F], export-series.ts), on
 * the same detector and series, and whether their outputs are bitwise equal.
 *
 *   npx tsx bench/score/series-graph-speed.ts [rows=1000000] [--missing P] [--rounds R] [--diffs]
 *
 * The series is bench/score/series-speed.ts's (a 288-row cycle plus seeded noise), the detector trained on its
 * first 750 rows (the default three scales); `--missing P` blanks each cell with probability P (the mask path).
 * Both graphs score every window ending at rows T−1 … rows−1 in batches of 4,096 (the window stage's batch), one
 * onnxruntime thread, fetching score and feature_error (what detect mode reads); R rounds alternate the two graphs.
 * CPU-s counts session.run only (process.cpuUsage around each call); the windows graph's input copy is not in it.
 * `--diffs` prints each window whose score differs between the graphs.
 */
import * as ort from 'onnxruntime-node';
import { Rng } from '../../core/rng';
import { exportSeriesWindows } from '../../training/models/auto-series/export-series-windows';
import { fitSeriesDetector } from '../../training/models/auto-series/series-detector';
import { trainModel } from '../../training/train';

const args = process.argv.slice(2);
const rows = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const opt = (name: string, dflt: number): number => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const missing = opt('--missing', 0);
const rounds = opt('--rounds', 2);
const showDiffs = args.includes('--diffs');
const BATCH = 4096;

function makeSeries(n: number): Float32Array {
  let seed = 12345;
  const uniform = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return Float32Array.from({ length: n }, (_, i) => {
    const noise = (uniform() + uniform() + uniform() - 1.5) * 0.8;
    return Number((10 + 3 * Math.sin((2 * Math.PI * i) / 288) + noise).toFixed(4));
  });
}

type Outputs = { score: Float32Array; fe: Float32Array }[];

async function runGraph(
  onnx: Uint8Array, x: Float32Array, mask: Float32Array, t: number, segment: boolean,
): Promise<{ cpu: number; out: Outputs }> {
  const session = await ort.InferenceSession.create(onnx, {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
  });
  const xs = new Float32Array(BATCH * t);
  const ms = new Float32Array(BATCH * t);
  const out: Outputs = [];
  let cpu = 0;
  for (let end = t - 1; end < x.length; end += BATCH) {
    const n = Math.min(BATCH, x.length - end);
    let feeds: Record<string, ort.Tensor>;
    if (segment) {
      const from = end - t + 1;
      feeds = {
        x: new ort.Tensor('float32', x.subarray(from, end + n), [1, n + t - 1, 1]),
        mask: new ort.Tensor('float32', mask.subarray(from, end + n), [1, n + t - 1, 1]),
      };
    } else {
      for (let w = 0; w < n; w++) {
        xs.set(x.subarray(end + w - t + 1, end + w + 1), w * t);
        ms.set(mask.subarray(end + w - t + 1, end + w + 1), w * t);
      }
      feeds = {
        x: new ort.Tensor('float32', xs.subarray(0, n * t), [n, t, 1]),
        mask: new ort.Tensor('float32', ms.subarray(0, n * t), [n, t, 1]),
      };
    }
    const before = process.cpuUsage();
    const r = await session.run(feeds, ['score', 'feature_error']);
    const used = process.cpuUsage(before);
    cpu += (used.user + used.system) / 1e6;
    out.push({ score: r['score']!.data as Float32Array, fe: r['feature_error']!.data as Float32Array });
  }
  await session.release();
  return { cpu, out };
}

function differing(a: Outputs, b: Outputs, t: number): { score: number; fe: number; worst: number } {
  let score = 0;
  let fe = 0;
  let worst = 0;
  a.forEach((p, i) => {
    const q = b[i]!;
    for (let j = 0; j < p.score.length; j++) {
      if (Object.is(p.score[j], q.score[j])) continue;
      if (showDiffs) console.log(`window ending at row ${i * BATCH + j + t - 1}: ${p.score[j]} (windows) vs ${q.score[j]} (segment)`);
      score++;
      worst = Math.max(worst, Math.abs(p.score[j]! - q.score[j]!) / Math.max(1e-6, Math.abs(p.score[j]!)));
    }
    for (let j = 0; j < p.fe.length; j++) if (!Object.is(p.fe[j], q.fe[j])) fe++;
  });
  return { score, fe, worst };
}

async function main(): Promise<void> {
  const x = makeSeries(rows);
  const train = x.slice(0, 750);
  const data = { features: ['value'], values: train };
  const result = await trainModel({ kind: 'auto', timeColumn: 'timestamp', data, backend: 'cpu', progress: 'none' });
  result.zoo.dispose();
  const det = fitSeriesDetector(train, ['value']);
  const t = det.window;
  const { window_input: _, ...legacy } = result.manifest;
  const graphs = { windows: exportSeriesWindows(det, legacy), segment: result.onnx! };
  const rng = new Rng(7);
  const mask = Float32Array.from(x, () => (missing > 0 && rng.next() < missing ? 0 : 1));
  for (let i = 0; i < rows; i++) if (mask[i] === 0) x[i] = NaN;
  console.log(`${rows} rows, window ${t}, scales ${det.scales.map((s) => `${s.window}:${s.rows}`).join(' ')}, missing ${missing}`);
  const cpu: Record<string, number[]> = { windows: [], segment: [] };
  let last: Record<string, Outputs> = {};
  for (let r = 0; r < rounds; r++) {
    for (const name of (r % 2 ? ['segment', 'windows'] : ['windows', 'segment']) as (keyof typeof graphs)[]) {
      const run = await runGraph(graphs[name], x, mask, t, name === 'segment');
      cpu[name]!.push(run.cpu);
      last = { ...last, [name]: run.out };
      const perMillion = ((run.cpu * 1e6) / rows).toFixed(2);
      console.log(`round ${r + 1} ${name.padEnd(8)} ${run.cpu.toFixed(2)} CPU-s session.run = ${perMillion} CPU-s per 1M rows`);
    }
  }
  const d = differing(last['windows']!, last['segment']!, t);
  const worst = d.worst.toExponential(2);
  console.log(`outputs: ${d.score} scores and ${d.fe} feature_error cells differ bitwise (worst relative score difference ${worst})`);
}

void main();
