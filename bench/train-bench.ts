// `npm run bench:train [-- --quick]`: training throughput (samples/s) per model kind and tfjs backend,
// one thread, on this machine; the three cases issue 4 sets targets for are compared with PyTorch CPU
// trained side by side in the same run (bench/python/train_baselines.py), as ratios.
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng';
import type { ModelKind } from '../core/model-kind';
import { selectBackend } from '../training/backend';
import { modelDefinition } from '../training/models';
import type { SampleShape } from '../training/models/types';
import { machineLine, markdownTable } from './report';

type TorchCase = 'dense' | 'lstm' | 'conv1d';

export interface BenchRow {
  case: string;
  kind: ModelKind | 'dense-ae (model.fit)';
  backend: string;
  batch: number;
  samplesPerSec: number;
  /** Median training step (forward, backward, Adam update), ms. */
  msPerStep: number;
  torch?: TorchCase;
  /** PyTorch's samples/s for the same model, measured just before this row's case. */
  torchSamplesPerSec?: number;
  /** Issue 4's target as a fraction of PyTorch's samples/s. */
  target?: number;
}

interface BenchCase {
  name: string;
  kind: ModelKind;
  shape: SampleShape;
  batch: number;
  config?: Record<string, unknown>;
  torch?: TorchCase;
  target?: number;
  fit?: boolean;
}

const ROWS = { layout: 'rows', features: 140, steps: null } as const;
const DENSE = { hidden: 64, latent: 16 };
const CASES: BenchCase[] = [
  { name: 'dense 140-64-16-64-140', kind: 'dense-ae', shape: ROWS, batch: 256, config: DENSE, torch: 'dense', target: 0.25, fit: true },
  { name: 'sparse 140-64-16-64-140', kind: 'sparse-ae', shape: ROWS, batch: 256, config: DENSE },
  { name: 'denoising 140-64-16-64-140', kind: 'denoising-ae', shape: ROWS, batch: 256, config: DENSE },
  { name: 'vae 140-64-16-64-140', kind: 'vae', shape: ROWS, batch: 256, config: DENSE },
  { name: 'gain 140 features', kind: 'gain', shape: ROWS, batch: 256, config: DENSE },
  { name: 'lstm enc-dec T=32 F=4 32 units', kind: 'lstm-ae', shape: { layout: 'windows', features: 4, steps: 32 }, batch: 128, config: { units: 32 }, torch: 'lstm', target: 0.3 },
  { name: 'conv1d 4-layer on 140-sample rows', kind: 'conv1d-ae', shape: ROWS, batch: 128, torch: 'conv1d', target: 0.2 },
];

/** PyTorch CPU figures quoted in issue 4 (for reference only; ratios use the side-by-side run). */
export const ISSUE_PYTORCH: Record<TorchCase, number> = { dense: 124_000, lstm: 6_500, conv1d: 3_300 };

export interface TorchResult {
  samples_per_s: number;
  ms_per_step: number;
}

export interface TrainBenchOptions {
  quick?: boolean;
  backends?: ('wasm' | 'cpu')[];
  /** Seconds of timed steps per case (default 3, quick 1). */
  seconds?: number;
  /** Run PyTorch side by side (default true). */
  pytorch?: boolean;
}

/** One PyTorch case (one thread) through bench/python/train_baselines.py; null (with why) when unavailable. */
export function torchBaseline(name: TorchCase, seconds: number): { torch: TorchResult | null; note: string } {
  const res = spawnSync('python3', ['bench/python/train_baselines.py', String(seconds), name], { encoding: 'utf8', timeout: 600_000 });
  if (res.error) return { torch: null, note: `PyTorch baselines skipped: python3 could not run (${res.error.message})` };
  if (res.status === 3) return { torch: null, note: `PyTorch baselines skipped: torch is not installed (${res.stdout.trim()})` };
  if (res.status !== 0) return { torch: null, note: `PyTorch baselines failed (exit ${res.status}): ${res.stderr.trim().split('\n').pop()}` };
  const out = JSON.parse(res.stdout.trim().split('\n').pop()!) as Record<TorchCase, TorchResult> & { versions: { torch: string; threads: number } };
  return { torch: out[name], note: `PyTorch ${out.versions.torch}, ${out.versions.threads} thread, same model, Adam, MSE, one fixed random batch, median step` };
}

/**
 * Measures training steps per second for every case on each backend. A case with a PyTorch twin runs it
 * right before its tfjs rows, so each ratio compares numbers taken minutes apart at most.
 */
export async function runTrainBench(options: TrainBenchOptions = {}): Promise<{ rows: BenchRow[]; torchNote: string }> {
  const seconds = options.seconds ?? (options.quick ? 1 : 3);
  const rows: BenchRow[] = [];
  let torchNote = options.pytorch === false ? 'PyTorch baselines not run' : '';
  for (const c of CASES) {
    let torch: number | undefined;
    if (c.torch && options.pytorch !== false) {
      const r = torchBaseline(c.torch, seconds);
      torchNote = r.note;
      torch = r.torch?.samples_per_s;
      process.stderr.write(`bench:train pytorch ${c.name}: ${torch ? Math.round(torch) : r.note}\n`);
    }
    for (const backend of options.backends ?? ['wasm', 'cpu']) {
      await selectBackend(backend);
      const measured = [await measureCase(c, backend, seconds), ...(c.fit ? [await measureFit(c, backend, seconds)] : [])];
      for (const r of measured) {
        rows.push({ ...r, torchSamplesPerSec: torch });
        process.stderr.write(`bench:train ${backend} ${r.kind} ${c.name}: ${Math.round(r.samplesPerSec)} samples/s\n`);
      }
    }
  }
  return { rows, torchNote };
}

function batchTensors(c: BenchCase, seed: number): { x: tf.Tensor; mask: tf.Tensor } {
  const dims = c.shape.layout === 'windows' ? [c.shape.steps!, c.shape.features] : [c.shape.features];
  return { x: tf.randomNormal([c.batch, ...dims], 0, 1, 'float32', seed), mask: tf.ones([c.batch, ...dims]) };
}

function row(c: BenchCase, kind: BenchRow['kind'], backend: string, msPerStep: number): BenchRow {
  return { case: c.name, kind, backend, batch: c.batch, samplesPerSec: (c.batch * 1000) / msPerStep, msPerStep, torch: c.torch, target: c.target };
}

async function measureCase(c: BenchCase, backend: string, seconds: number): Promise<BenchRow> {
  const zm = modelDefinition(c.kind).build({ shape: c.shape, rng: new Rng(1), config: c.config ?? {}, learningRate: 1e-3 });
  const batch = batchTensors(c, 2);
  try {
    return row(c, c.kind, backend, medianStep(() => zm.trainStep(batch).dispose(), seconds));
  } finally {
    zm.dispose();
    tf.dispose([batch.x, batch.mask]);
  }
}

/** The same dense model trained through tfjs-layers' model.fit, for the issue's baseline (mean over whole fits). */
async function measureFit(c: BenchCase, backend: string, seconds: number): Promise<BenchRow> {
  const zm = modelDefinition(c.kind).build({ shape: c.shape, rng: new Rng(1), config: c.config ?? {}, learningRate: 1e-3 });
  zm.model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  const batch = batchTensors(c, 2);
  const stepsPerFit = 8;
  const x = tf.tile(batch.x, [stepsPerFit, 1]);
  try {
    const fit = async (): Promise<void> => {
      await zm.model.fit(x, x, { batchSize: c.batch, epochs: 1, shuffle: false, verbose: 0 });
    };
    await fit();
    const start = performance.now();
    let fits = 0;
    while (performance.now() - start < seconds * 1000) {
      await fit();
      fits++;
    }
    return row(c, 'dense-ae (model.fit)', backend, (performance.now() - start) / (fits * stepsPerFit));
  } finally {
    x.dispose();
    zm.dispose();
    tf.dispose([batch.x, batch.mask]);
  }
}

/**
 * Median step time (ms) over `seconds` of steps after warm-up: robust to other processes' bursts. At
 * least 5 timed steps, fewer only when a step takes longer than `seconds` (conv1d on the pure-JS backend).
 */
function medianStep(step: () => void, seconds: number): number {
  const w = performance.now();
  step();
  const slow = performance.now() - w > seconds * 1000;
  if (!slow) for (let i = 0; i < 2; i++) step();
  const times: number[] = [];
  const start = performance.now();
  while (performance.now() - start < seconds * 1000 || times.length < (slow ? 1 : 5)) {
    const t = performance.now();
    step();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** "met (2.1× the target)" / "missed by 40% (0.18× of 0.3×)". */
export function verdict(ratio: number, target: number): string {
  return ratio >= target ? `met, ${(ratio / target).toFixed(1)}× the target` : `missed by ${Math.round((1 - ratio / target) * 100)}% of the target`;
}

/** Runs the bench and formats the BENCHMARKS.md section. */
export async function runTrainBenchMarkdown(options: TrainBenchOptions = {}): Promise<string> {
  const { rows, torchNote } = await runTrainBench(options);
  const table = markdownTable(
    ['case', 'kind', 'backend', 'batch', 'samples/s', 'ms/step', 'PyTorch CPU samples/s (same run)', 'ratio', 'target', 'verdict'],
    rows.map((r) => {
      const t = r.torchSamplesPerSec;
      const ratio = t ? r.samplesPerSec / t : undefined;
      const target = r.target !== undefined && r.kind !== 'dense-ae (model.fit)' ? r.target : undefined;
      return [
        r.case, r.kind, r.backend, r.batch, Math.round(r.samplesPerSec), r.msPerStep.toFixed(2),
        t ? Math.round(t) : r.torch ? 'not run' : '', ratio ? `${ratio.toFixed(2)}×` : '',
        target !== undefined ? `≥ ${target}×` : '', target !== undefined && ratio !== undefined ? verdict(ratio, target) : '',
      ];
    }),
  );
  const quoted = Object.entries(ISSUE_PYTORCH).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ');
  return `## Training throughput (\`npm run bench:train\`)\n\n${machineLine()} One thread everywhere: tfjs WASM runs single-threaded under Node ` +
    `(tfjs-backend-wasm 4.22 forces WASM_HAS_MULTITHREAD_SUPPORT off under Node; forcing it on fails when the pthread pool starts ` +
    `a worker from a blob: URL, which Node's worker_threads cannot load), 'cpu' is tfjs' pure-JS backend, and PyTorch is pinned to ` +
    `one thread. PyTorch trains each targeted model right before its tfjs rows. Each row is the median training step (forward, backward, Adam update) on one fixed random batch through residual's ` +
    `own loop (optimizer.minimize), except the 'model.fit' row (mean over whole fits). ${torchNote}. Ratios and verdicts use the ` +
    `PyTorch figures of this run (issue 4 quoted samples/s: ${quoted}).\n\n${table}\n`;
}
