// `npx tsx bench/train-gpu.ts [--backend tensorflow] [--seconds N]`: training throughput on tfjs-node-gpu (the
// 'tensorflow' backend on a machine with a GPU) beside the WASM backend, measured in the same run, as samples/s
// at the 25th-percentile training step (forward, backward, Adam update through residual's own loop).
// Where @tensorflow/tfjs-node-gpu is not installed (this dev machine) it says so and exits with code 2.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng';
import { selectBackend } from '../training/backend';
import { modelDefinition } from '../training/models';
import { machineLine, markdownTable } from './report';
import { CASES as TRAIN_CASES, type BenchCase } from './train-bench';

type GpuCase = Pick<BenchCase, 'name' | 'kind' | 'shape' | 'batch' | 'config'>;

/** bench/train-bench.ts's PyTorch-compared cases (dense, lstm, conv1d), plus dense at a GPU-sized batch of 4,096. */
const CASES: GpuCase[] = TRAIN_CASES.filter((c) => c.torch !== undefined).flatMap((c) =>
  c.kind === 'dense-ae' ? [c, { ...c, batch: 4096 }] : [c],
);

/** The GPU package, or null: @tensorflow/tfjs-node alone would also register 'tensorflow', on the CPU. */
function gpuPackage(): string | null {
  try {
    return require.resolve('@tensorflow/tfjs-node-gpu');
  } catch {
    return null;
  }
}

/** 25th-percentile training step (ms) over `seconds` of steps, after a warm-up of 3 steps. */
function stepMs(c: GpuCase, seconds: number): number {
  const zm = modelDefinition(c.kind).build({ shape: c.shape, rng: new Rng(1), config: c.config ?? {}, learningRate: 1e-3 });
  const dims = c.shape.layout === 'windows' ? [c.shape.steps!, c.shape.features] : [c.shape.features];
  const batch = { x: tf.randomNormal([c.batch, ...dims], 0, 1, 'float32', 2), mask: tf.ones([c.batch, ...dims]) };
  try {
    // dataSync waits for the device, so a step's time includes its GPU work
    const step = () => {
      const loss = zm.trainStep(batch);
      loss.dataSync();
      loss.dispose();
    };
    for (let i = 0; i < 3; i++) step();
    const times: number[] = [];
    const start = performance.now();
    while (performance.now() - start < seconds * 1000 || times.length < 3) {
      const t = performance.now();
      step();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor((times.length - 1) * 0.25)]!;
  } finally {
    zm.dispose();
    tf.dispose([batch.x, batch.mask]);
  }
}

async function main(argv: string[]): Promise<number> {
  const at = argv.indexOf('--seconds');
  const seconds = at >= 0 ? Number(argv[at + 1]) : 3;
  const b = argv.indexOf('--backend');
  const backend = b >= 0 ? argv[b + 1] : 'tensorflow';
  if (backend !== 'tensorflow') {
    process.stderr.write(`bench/train-gpu.ts: --backend must be 'tensorflow' (tfjs-node-gpu), got '${backend}'\n`);
    return 2;
  }
  if (gpuPackage() === null) {
    process.stderr.write(
      'bench/train-gpu.ts: @tensorflow/tfjs-node-gpu is not installed here, so there is no GPU figure to measure.\n' +
        'On a machine with an NVIDIA GPU, CUDA 11.2 and cuDNN 8.1 (what tfjs-node-gpu 4.22 / libtensorflow 2.9.1 needs):\n' +
        '  npm install --no-save @tensorflow/tfjs-node-gpu@4.22.0 && npx tsx bench/train-gpu.ts\n' +
        'or run it in the training image (training/Dockerfile), which ships it.\n',
    );
    return 2;
  }
  const rows: (string | number)[][] = [];
  for (const c of CASES) {
    const figures: Record<string, number> = {};
    for (const name of ['tensorflow', 'wasm'] as const) {
      await selectBackend(name);
      figures[name] = (c.batch * 1000) / stepMs(c, seconds);
      process.stderr.write(`train-gpu ${name} ${c.name} batch ${c.batch}: ${Math.round(figures[name]!)} samples/s\n`);
    }
    const gpu = figures.tensorflow!;
    const wasm = figures.wasm!;
    rows.push([c.name, c.kind, c.batch, Math.round(gpu), Math.round(wasm), `${(gpu / wasm).toFixed(1)}×`]);
  }
  const head = ['case', 'kind', 'batch', 'tfjs-node-gpu samples/s', 'WASM samples/s (same run)', 'GPU / WASM'];
  process.stdout.write(`${machineLine()}\ntf.version: ${tf.version.tfjs}\n\n${markdownTable(head, rows)}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench/train-gpu.ts: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
