// `npm run bench:train [-- --quick]`: training throughput (samples/s) per model kind and tfjs backend,
// one thread, on this machine; the three cases issue 4 sets targets for are compared with PyTorch CPU
// trained side by side in the same run (bench/python/train_baselines.py), as ratios.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng';
import type { ModelKind } from '../core/model-kind';
import { selectBackend } from '../training/backend';
import { modelDefinition } from '../training/models';
import type { SampleShape } from '../training/models/types';
import { machineLine, markdownTable } from './report';
import { TorchServer, type TorchCase } from './torch-server';

export interface BenchRow {
  case: string;
  kind: ModelKind | 'dense-ae (model.fit)';
  backend: string;
  batch: number;
  samplesPerSec: number;
  /** 25th-percentile training step (forward, backward, Adam update), ms. */
  msPerStep: number;
  /** Median training step, ms. */
  msMedian?: number;
  torch?: TorchCase;
  /** PyTorch's samples/s for the same model (25th-percentile step), measured interleaved with this row. */
  torchSamplesPerSec?: number;
  /** PyTorch's samples/s at its median step. */
  torchMedianSamplesPerSec?: number;
  /** Issue 4's target as a fraction of PyTorch's samples/s. */
  target?: number;
}

/** One model and batch the training benchmarks time (bench/train-gpu.ts times the same ones on a GPU). */
export interface BenchCase {
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
export const CASES: BenchCase[] = [
  { name: 'dense 140-64-16-64-140', kind: 'dense-ae', shape: ROWS, batch: 256, config: DENSE, torch: 'dense', target: 0.25, fit: true },
  { name: 'sparse 140-64-16-64-140', kind: 'sparse-ae', shape: ROWS, batch: 256, config: DENSE },
  { name: 'denoising 140-64-16-64-140', kind: 'denoising-ae', shape: ROWS, batch: 256, config: DENSE },
  { name: 'vae 140-64-16-64-140', kind: 'vae', shape: ROWS, batch: 256, config: DENSE },
  { name: 'gain 140 features', kind: 'gain', shape: ROWS, batch: 256, config: DENSE },
  {
    name: 'lstm enc-dec T=32 F=4 32 units',
    kind: 'lstm-ae',
    shape: { layout: 'windows', features: 4, steps: 32 },
    batch: 128,
    config: { units: 32 },
    torch: 'lstm',
    target: 0.3,
  },
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

const ROUNDS = 3;

/**
 * Measures training steps per second for every case on each backend. A case with a PyTorch twin
 * alternates 3 (ROUNDS) slices of PyTorch steps with as many slices of tfjs steps per backend, and each
 * side's figure comes from all its slices: bursts of other processes on a shared machine land on both
 * sides instead of on one.
 */
export async function runTrainBench(options: TrainBenchOptions = {}): Promise<{ rows: BenchRow[]; torchNote: string }> {
  const seconds = options.seconds ?? (options.quick ? 1 : 3);
  const rows: BenchRow[] = [];
  const { server, note } = options.pytorch === false ? { server: null, note: 'PyTorch baselines not run' } : await TorchServer.start();
  try {
    for (const c of CASES) {
      for (const backend of options.backends ?? ['wasm', 'cpu']) {
        await selectBackend(backend);
        const torchTimes: number[] = [];
        const stepper = buildStepper(c, seconds);
        const times: number[] = [];
        const rounds = c.torch && server && !stepper.slow ? ROUNDS : 1;
        try {
          for (let r = 0; r < rounds; r++) {
            if (c.torch && server) torchTimes.push(...(await server.slice(c.torch, seconds / rounds)));
            times.push(...stepper.slice(seconds / rounds));
          }
        } finally {
          stepper.dispose();
        }
        const torch = torchTimes.length ? (c.batch * 1000) / quantile(torchTimes, 0.25) : undefined;
        const torchMedian = torchTimes.length ? (c.batch * 1000) / quantile(torchTimes, 0.5) : undefined;
        rows.push({
          ...row(c, c.kind, backend, quantile(times, 0.25)),
          msMedian: quantile(times, 0.5),
          torchSamplesPerSec: torch,
          torchMedianSamplesPerSec: torchMedian,
        });
        if (c.fit)
          rows.push({ ...(await measureFit(c, backend, seconds)), torchSamplesPerSec: torch, torchMedianSamplesPerSec: torchMedian });
        process.stderr.write(
          `bench:train ${backend} ${c.name}: ${Math.round(rows[rows.length - 1]!.samplesPerSec)} samples/s` +
            `${torch ? ` (PyTorch ${Math.round(torch)})` : ''}\n`,
        );
      }
    }
  } finally {
    server?.close();
  }
  return { rows, torchNote: note };
}

function batchTensors(c: BenchCase, seed: number): { x: tf.Tensor; mask: tf.Tensor } {
  const dims = c.shape.layout === 'windows' ? [c.shape.steps!, c.shape.features] : [c.shape.features];
  return { x: tf.randomNormal([c.batch, ...dims], 0, 1, 'float32', seed), mask: tf.ones([c.batch, ...dims]) };
}

function row(c: BenchCase, kind: BenchRow['kind'], backend: string, msPerStep: number): BenchRow {
  return {
    case: c.name,
    kind,
    backend,
    batch: c.batch,
    samplesPerSec: (c.batch * 1000) / msPerStep,
    msPerStep,
    torch: c.torch,
    target: c.target,
  };
}

/** A built model and batch whose training steps can be timed in slices (warm after construction). */
function buildStepper(c: BenchCase, seconds: number): { slow: boolean; slice(seconds: number): number[]; dispose(): void } {
  const zm = modelDefinition(c.kind).build({ shape: c.shape, rng: new Rng(1), config: c.config ?? {}, learningRate: 1e-3 });
  const batch = batchTensors(c, 2);
  const step = (): void => zm.trainStep(batch).dispose();
  // Warm-up: at least 1 s and 3 steps, or one step when a single step takes longer than `seconds`
  // (conv1d on the pure-JS backend).
  const w = performance.now();
  step();
  const slow = performance.now() - w > seconds * 1000;
  for (let n = 1; !slow && (n < 3 || performance.now() - w < 1000); n++) step();
  return {
    slow,
    slice(s: number): number[] {
      const times: number[] = [];
      const start = performance.now();
      while (performance.now() - start < s * 1000 || times.length < 1) {
        const t = performance.now();
        step();
        times.push(performance.now() - t);
      }
      return times;
    },
    dispose(): void {
      zm.dispose();
      tf.dispose([batch.x, batch.mask]);
    },
  };
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
 * The q-quantile of step times. The bench reports the 25th percentile (an estimate of the uncontended
 * step: on this shared 2-core machine a preempted step takes ~50 ms more, and at times over half the
 * steps of one side are preempted, which moves a median by 5-10×), with medians alongside.
 */
function quantile(v: number[], q: number): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) * q)]!;
}

/** "met (2.1× the target)" / "missed by 40% (0.18× of 0.3×)". */
export function verdict(ratio: number, target: number): string {
  return ratio >= target
    ? `met, ${(ratio / target).toFixed(1)}× the target`
    : `missed by ${Math.round((1 - ratio / target) * 100)}% of the target`;
}

/** Runs the bench and formats the BENCHMARKS.md section. */
export async function runTrainBenchMarkdown(options: TrainBenchOptions = {}): Promise<string> {
  const { rows, torchNote } = await runTrainBench(options);
  const table = markdownTable(
    [
      'case',
      'kind',
      'backend',
      'batch',
      'samples/s',
      'ms/step (p25 / median)',
      'PyTorch CPU samples/s (same run)',
      'ratio',
      'ratio at medians',
      'target',
      'verdict',
    ],
    rows.map((r) => {
      const t = r.torchSamplesPerSec;
      const ratio = t ? r.samplesPerSec / t : undefined;
      const tm = r.torchMedianSamplesPerSec;
      const ratioMedian = tm && r.msMedian ? (r.batch * 1000) / r.msMedian / tm : undefined;
      const target = r.target !== undefined && r.kind !== 'dense-ae (model.fit)' ? r.target : undefined;
      return [
        r.case,
        r.kind,
        r.backend,
        r.batch,
        Math.round(r.samplesPerSec),
        `${r.msPerStep.toFixed(2)}${r.msMedian ? ` / ${r.msMedian.toFixed(2)}` : ''}`,
        t ? Math.round(t) : r.torch ? 'not run' : '',
        ratio ? `${ratio.toFixed(2)}×` : '',
        ratioMedian ? `${ratioMedian.toFixed(2)}×` : '',
        target !== undefined ? `≥ ${target}×` : '',
        target !== undefined && ratio !== undefined ? verdict(ratio, target) : '',
      ];
    }),
  );
  const quoted = Object.entries(ISSUE_PYTORCH).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ');
  return (
    `## Training throughput (\`npm run bench:train\`)\n\n${machineLine()} ` +
    'One thread everywhere: tfjs WASM runs single-threaded under Node ' +
    `(tfjs-backend-wasm 4.22 forces WASM_HAS_MULTITHREAD_SUPPORT off under Node; forcing it on fails when the pthread pool starts ` +
    `a worker from a blob: URL, which Node's worker_threads cannot load), 'cpu' is tfjs' pure-JS backend, and PyTorch is pinned to ` +
    `one thread. For the three targeted models, ${ROUNDS} short slices of PyTorch steps alternate with ${ROUNDS} slices of tfjs ` +
    'steps (per backend) so load bursts from other users land on both sides. Each row is the 25th-percentile training step ' +
    '(forward, backward, Adam update; an estimate of the uncontended step, since a preempted step here takes ~50 ms more and at ' +
    "times over half of one side's steps are preempted), with the median beside it, on one fixed random batch through residual's " +
    `own loop (optimizer.minimize), except the 'model.fit' row (mean over whole fits). ${torchNote}. Ratios and verdicts use the ` +
    `PyTorch figures of this run (issue 4 quoted samples/s: ${quoted}).\n\n${table}\n`
  );
}
