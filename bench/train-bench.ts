// `npm run bench:train [-- --quick]`: training throughput (samples/s) per model kind and tfjs backend,
// one thread, on this machine; compared with the PyTorch CPU figures quoted in issue 4 as ratios.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng';
import type { ModelKind } from '../core/model-kind';
import { selectBackend } from '../training/backend';
import { modelDefinition } from '../training/models';
import type { SampleShape } from '../training/models/types';
import { machineLine, markdownTable } from './report';

export interface BenchRow {
  case: string;
  kind: ModelKind | 'dense-ae (model.fit)';
  backend: string;
  batch: number;
  samplesPerSec: number;
  msPerStep: number;
  /** PyTorch CPU samples/s quoted in issue 4 for the same case, when there is one. */
  pytorch?: number;
}

interface BenchCase {
  name: string;
  kind: ModelKind;
  shape: SampleShape;
  batch: number;
  config?: Record<string, unknown>;
  pytorch?: number;
  fit?: boolean;
}

const CASES: BenchCase[] = [
  { name: 'dense 140-64-16-64-140', kind: 'dense-ae', shape: { layout: 'rows', features: 140, steps: null }, batch: 256, config: { hidden: 64, latent: 16 }, pytorch: 124_000, fit: true },
  { name: 'sparse 140-64-16-64-140', kind: 'sparse-ae', shape: { layout: 'rows', features: 140, steps: null }, batch: 256, config: { hidden: 64, latent: 16 } },
  { name: 'denoising 140-64-16-64-140', kind: 'denoising-ae', shape: { layout: 'rows', features: 140, steps: null }, batch: 256, config: { hidden: 64, latent: 16 } },
  { name: 'vae 140-64-16-64-140', kind: 'vae', shape: { layout: 'rows', features: 140, steps: null }, batch: 256, config: { hidden: 64, latent: 16 } },
  { name: 'gain 140 features', kind: 'gain', shape: { layout: 'rows', features: 140, steps: null }, batch: 256, config: { hidden: 64, latent: 16 } },
  { name: 'lstm enc-dec T=32 F=4 32 units', kind: 'lstm-ae', shape: { layout: 'windows', features: 4, steps: 32 }, batch: 128, config: { units: 32 }, pytorch: 6_500 },
  { name: 'conv1d 4-layer on 140-sample rows', kind: 'conv1d-ae', shape: { layout: 'rows', features: 140, steps: null }, batch: 128, pytorch: 3_300 },
];

export interface TrainBenchOptions {
  quick?: boolean;
  backends?: ('wasm' | 'cpu')[];
  /** Seconds of timed steps per case (default 3, quick 1). */
  seconds?: number;
}

/** Measures training steps per second for every case on each backend. */
export async function runTrainBench(options: TrainBenchOptions = {}): Promise<BenchRow[]> {
  const seconds = options.seconds ?? (options.quick ? 1 : 3);
  const rows: BenchRow[] = [];
  for (const backend of options.backends ?? ['wasm', 'cpu']) {
    await selectBackend(backend);
    for (const c of CASES) {
      rows.push(await measureCase(c, backend, seconds));
      if (c.fit) rows.push(await measureFit(c, backend, seconds));
      process.stderr.write(`bench:train ${backend} ${c.name}: ${Math.round(rows[rows.length - 1]!.samplesPerSec)} samples/s\n`);
    }
  }
  return rows;
}

function batchTensors(c: BenchCase, seed: number): { x: tf.Tensor; mask: tf.Tensor } {
  const dims = c.shape.layout === 'windows' ? [c.shape.steps!, c.shape.features] : [c.shape.features];
  return { x: tf.randomNormal([c.batch, ...dims], 0, 1, 'float32', seed), mask: tf.ones([c.batch, ...dims]) };
}

async function measureCase(c: BenchCase, backend: string, seconds: number): Promise<BenchRow> {
  const zm = modelDefinition(c.kind).build({ shape: c.shape, rng: new Rng(1), config: c.config ?? {}, learningRate: 1e-3 });
  const batch = batchTensors(c, 2);
  try {
    const step = (): void => zm.trainStep(batch).dispose();
    const { perStep } = timeSteps(step, seconds);
    return { case: c.name, kind: c.kind, backend, batch: c.batch, samplesPerSec: (c.batch * 1000) / perStep, msPerStep: perStep, pytorch: c.pytorch };
  } finally {
    zm.dispose();
    tf.dispose([batch.x, batch.mask]);
  }
}

/** The same dense model trained through tfjs-layers' model.fit, for the issue's baseline. */
async function measureFit(c: BenchCase, backend: string, seconds: number): Promise<BenchRow> {
  const zm = modelDefinition(c.kind).build({ shape: c.shape, rng: new Rng(1), config: c.config ?? {}, learningRate: 1e-3 });
  zm.model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  const batch = batchTensors(c, 2);
  try {
    const stepsPerFit = 8;
    const x = tf.tile(batch.x, [stepsPerFit, 1]);
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
    x.dispose();
    const perStep = (performance.now() - start) / (fits * stepsPerFit);
    return { case: c.name, kind: 'dense-ae (model.fit)', backend, batch: c.batch, samplesPerSec: (c.batch * 1000) / perStep, msPerStep: perStep, pytorch: c.pytorch };
  } finally {
    zm.dispose();
    tf.dispose([batch.x, batch.mask]);
  }
}

function timeSteps(step: () => void, seconds: number): { perStep: number } {
  for (let i = 0; i < 3; i++) step();
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < seconds * 1000 || n < 3) {
    step();
    n++;
  }
  return { perStep: (performance.now() - start) / n };
}

/** Runs the bench and formats the BENCHMARKS.md section. */
export async function runTrainBenchMarkdown(options: TrainBenchOptions = {}): Promise<string> {
  const rows = await runTrainBench(options);
  const table = markdownTable(
    ['case', 'kind', 'backend', 'batch', 'samples/s', 'ms/step', 'PyTorch CPU (issue 4)', 'ratio'],
    rows.map((r) => [r.case, r.kind, r.backend, r.batch, Math.round(r.samplesPerSec), r.msPerStep.toFixed(2), r.pytorch ? r.pytorch : '', r.pytorch ? `${(r.samplesPerSec / r.pytorch).toFixed(3)}×` : '']),
  );
  return `## Training throughput (\`npm run bench:train\`)\n\n${machineLine()} One thread (tfjs WASM runs single-threaded under Node; 'cpu' is tfjs' pure-JS backend). ` +
    `Each row times training steps (forward, backward, Adam update) on one fixed random batch through residual's own loop ` +
    `(optimizer.minimize), except the 'model.fit' row. PyTorch is not installed here: its figures are the ones quoted in issue 4 ` +
    `for the same models on this machine.\n\n${table}\n`;
}
