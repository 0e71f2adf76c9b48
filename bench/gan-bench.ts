// `npx tsx bench/gan-bench.ts [--quick]`: issue 17's speed targets for `--model gan` on this machine, not a test.
// 1. train: 10,000 × 20 rows (17 continuous bimodal columns, 3 discrete) with the default settings, to early stop;
//    beside it the time of one adversarial step for a few critic settings, interleaved (ratios side by side).
// 2. sample: 100,000 rows from that model through `residual sample`'s own path (sampleToStore, generator.onnx
//    on onnxruntime), split into generator + decode and the output writer, per format.
// Speed depends on the machine's load: say what the load was (uptime) beside any figure you quote.
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng';
import { modelLayout } from '../core/synthesis/column-spec';
import { profileColumns } from '../core/synthesis/column-transform';
import { createOnnxDecoder } from '../scoring/adapters/onnx-decoder';
import { createOnnxGenerator } from '../scoring/adapters/onnx-generator';
import { FileObjectStore } from '../storage/adapters/file-object-store';
import { GENERATOR_FILE } from '../storage/artifact/layout';
import { selectBackend } from '../training/backend';
import { buildGenerator, Critic } from '../training/gan/gan-networks';
import { GanTrainer } from '../training/gan/gan-trainer';
import { generateGanRows, synthesisOf } from '../training/sample-gan';
import { encodeSamples, sampleToStore } from '../training/sample-command';
import { trainModel } from '../training/train';
import { writeArtifactToStore } from '../training/write-artifact-to-store';

const ROWS = 10_000;
const F = 20;
const SAMPLE_ROWS = 100_000;

function table(): { features: string[]; values: Float32Array } {
  const rng = new Rng(1);
  const values = new Float32Array(ROWS * F);
  for (let r = 0; r < ROWS; r++) {
    const mode = rng.next() < 0.4 ? -2 : 2;
    for (let j = 0; j < F; j++) values[r * F + j] = j < 3 ? rng.int(4) : mode + rng.normal() + 0.3 * j;
  }
  return { features: Array.from({ length: F }, (_, j) => `c${j}`), values };
}

/** ms per adversarial step (median of `k`) for each critic setting, the settings interleaved round by round. */
type Table = { features: string[]; values: Float32Array };

function stepTimes(data: Table, settings: { steps: number; pac: number }[], k: number): number[] {
  const spec = profileColumns(data.values, data.features);
  const layout = modelLayout(spec);
  const rng = new Rng(2);
  const trainers = settings.map((s) => new GanTrainer(
    buildGenerator(32, layout.condDim, [128, 128], layout.dim, rng.fork()),
    new Critic(layout.dim + layout.condDim, [128, 128], rng.fork(), s.pac),
    layout,
    { loss: 'wgan-gp', noiseDim: 32, gpWeight: 10, criticSteps: s.steps, tau: 0.2, emaDecay: 0.99 },
    rng.fork(),
    1e-3,
  ));
  const real = tf.randomNormal([500, layout.dim]);
  const cond = tf.zeros([500, layout.condDim]);
  const times: number[][] = settings.map(() => []);
  for (let round = 0; round < k + 2; round++) {
    trainers.forEach((t, i) => {
      const t0 = performance.now();
      t.step(real, cond);
      if (round >= 2) times[i]!.push(performance.now() - t0);
    });
  }
  trainers.forEach((t) => t.dispose());
  tf.dispose([real, cond]);
  return times.map((a) => a.sort((x, y) => x - y)[a.length >> 1]!);
}

async function main(quick: boolean): Promise<void> {
  const lines: string[] = [`load average at start ${loadavg().map((l) => l.toFixed(1)).join(' ')} (2 shared cores)`];
  const data = table();
  await selectBackend('auto');
  const settings = [{ steps: 5, pac: 1 }, { steps: 5, pac: 10 }, { steps: 1, pac: 10 }];
  const ms = stepTimes(data, settings, quick ? 3 : 8);
  settings.forEach((s, i) => {
    lines.push(`step, critic_steps ${s.steps} pac ${s.pac}: ${ms[i]!.toFixed(0)} ms (× ${(ms[0]! / ms[i]!).toFixed(2)})`);
  });

  const t0 = Date.now();
  const result = await trainModel({ kind: 'gan', data, progress: 'none', seed: 1, ...(quick ? { epochs: 3 } : {}) });
  const trainS = (Date.now() - t0) / 1000;
  lines.push(`train ${ROWS} × ${F}: ${trainS.toFixed(1)} s, ${result.manifest.training.epochs} epochs (target ≤ 120 s)`);
  const dir = mkdtempSync(join(tmpdir(), 'residual-gan-bench-'));
  const model = join(dir, 'model');
  await writeArtifactToStore(result, new FileObjectStore(), { bucket: '', key: model });
  result.zoo.dispose();

  const s = result.manifest.synthesis as { noise_dim: number; cond_dim: number; model_dim: number };
  const generate = await createOnnxGenerator(result.onnx!, GENERATOR_FILE, { noise: s.noise_dim, cond: s.cond_dim, dim: s.model_dim });
  const g0 = performance.now();
  const values = await generateGanRows(result.manifest, generate, SAMPLE_ROWS, 1, new Map());
  const genS = (performance.now() - g0) / 1000;
  lines.push(`sample ${SAMPLE_ROWS}: generator + decode ${(SAMPLE_ROWS / genS).toFixed(0)} rows/s`);
  const deps = {
    storeForUri: (uri: string) => ({ store: new FileObjectStore(), location: { bucket: '', key: uri } }),
    createDecoder: createOnnxDecoder,
    createGenerator: createOnnxGenerator,
  };
  for (const format of ['csv', 'parquet', 'jsonl'] as const) {
    const e0 = performance.now();
    encodeSamples(format, false, result.manifest.features, values, synthesisOf(result.manifest));
    const encS = (performance.now() - e0) / 1000;
    const a0 = performance.now();
    await sampleToStore({ model, rows: SAMPLE_ROWS, output: join(dir, `s.${format}`), seed: 1 }, deps);
    const allS = (performance.now() - a0) / 1000;
    lines.push(`sample ${SAMPLE_ROWS} to .${format}: ${(SAMPLE_ROWS / allS).toFixed(0)} rows/s end to end; the writer alone ` +
      `${(SAMPLE_ROWS / encS).toFixed(0)} rows/s (${((100 * encS) / allS).toFixed(0)} % of the time)`);
  }
  lines.push(`load average at end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  process.stdout.write(`${lines.map((l) => `- ${l}`).join('\n')}\n`);
}

main(process.argv.includes('--quick')).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
