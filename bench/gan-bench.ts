// `npx tsx bench/gan-bench.ts [--quick]`: issue 17's speed targets for `--model gan` on this machine, not a test.
// 1. train: 10,000 × 20 rows (17 continuous bimodal columns, 3 discrete) with the default settings, to early stop;
//    beside it the time of one adversarial step for a few critic settings, interleaved (ratios side by side).
// 2. sample: 100,000 rows from that model through `residual sample`'s own path (sampleToStore, generator.onnx
//    on onnxruntime), split into generator + decode and the output writer, per format; the writer beside the row
//    writers it replaced (CPU seconds, alternated), and the parquet read back by pyarrow.
// Speed depends on the machine's load: say what the load was (uptime) beside any figure you quote.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createTableWriter, type OutputRow, type TableFormat } from '../core/io';
import { Rng } from '../core/rng';
import { modelLayout, type SynthesisSpec } from '../core/synthesis/column-spec';
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
  // wall and CPU time: onnxruntime runs on one thread here, so rows per CPU-second is what one unloaded core gives
  const g0 = performance.now();
  const c0 = process.cpuUsage();
  const values = await generateGanRows(result.manifest, generate, SAMPLE_ROWS, 1, new Map());
  const genCpu = cpuSince(c0);
  const genS = (performance.now() - g0) / 1000;
  const rate = (sec: number): string => (SAMPLE_ROWS / sec).toFixed(0);
  lines.push(`sample ${SAMPLE_ROWS}: generator + decode ${rate(genS)} rows/s, ${rate(genCpu)} rows/CPU-s`);
  const deps = {
    storeForUri: (uri: string) => ({ store: new FileObjectStore(), location: { bucket: '', key: uri } }),
    createDecoder: createOnnxDecoder,
    createGenerator: createOnnxGenerator,
  };
  const spec = synthesisOf(result.manifest);
  for (const format of ['csv', 'parquet', 'jsonl'] as const) {
    // the writer alone, CPU time: the row writers of core/io (what encodeSamples used before) and encodeSamples
    // (the numeric-matrix encoders), alternated three rounds, best of each
    const cpu = { rows: Infinity, numeric: Infinity };
    for (let round = 0; round < 3; round++) {
      cpu.rows = Math.min(cpu.rows, cpuSeconds(() => encodeWithRowWriters(format, result.manifest.features, values, spec)));
      cpu.numeric = Math.min(cpu.numeric, cpuSeconds(() => encodeSamples(format, false, result.manifest.features, values, spec)));
    }
    const a0 = performance.now();
    const ac = process.cpuUsage();
    await sampleToStore({ model, rows: SAMPLE_ROWS, output: join(dir, `s.${format}`), seed: 1 }, deps);
    const allCpu = cpuSince(ac);
    const allS = (performance.now() - a0) / 1000;
    lines.push(`sample ${SAMPLE_ROWS} to .${format}: ${(SAMPLE_ROWS / allS).toFixed(0)} rows/s end to end ` +
      `(${(SAMPLE_ROWS / allCpu).toFixed(0)} rows/CPU-s); the writer alone ` +
      `${(SAMPLE_ROWS / cpu.numeric).toFixed(0)} rows/CPU-s (the row writers: ${(SAMPLE_ROWS / cpu.rows).toFixed(0)}, ` +
      `× ${(cpu.rows / cpu.numeric).toFixed(2)})`);
  }
  lines.push(pyarrowCheck(join(dir, 's.parquet'), result.manifest.features.length));
  lines.push(`load average at end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  process.stdout.write(`${lines.map((l) => `- ${l}`).join('\n')}\n`);
}

function cpuSeconds(fn: () => unknown): number {
  const t0 = process.cpuUsage();
  fn();
  return cpuSince(t0);
}

function cpuSince(t0: NodeJS.CpuUsage): number {
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1e6;
}

/** What encodeSamples did before the numeric encoders: OutputRow objects through core/io's table writers. */
function encodeWithRowWriters(format: TableFormat, features: readonly string[], values: Float64Array, spec: SynthesisSpec): Uint8Array {
  const f = features.length;
  const integer = features.map((_, j) => spec.columns[j]!.kind === 'discrete' || spec.columns[j]!.integer === true);
  const writer = createTableWriter(format, features, {
    float32: true,
    parquetTypes: features.map(() => 'DOUBLE' as const),
    parquetSourceSchema: features.map((name, j) =>
      (integer[j] ? { name, type: 'INT64' as const, repetition_type: 'OPTIONAL' as const } : undefined)),
  });
  const parts: Uint8Array[] = [];
  const add = (p: string | Uint8Array | undefined): void => {
    if (p !== undefined) parts.push(typeof p === 'string' ? Buffer.from(p, 'utf8') : p);
  };
  add(writer.header());
  const n = values.length / f;
  for (let at = 0; at < n; at += 8192) {
    const rows: OutputRow[] = [];
    for (let r = at; r < Math.min(n, at + 8192); r++) rows.push({ values: Array.from(values.subarray(r * f, r * f + f)) });
    add(writer.rows(rows));
  }
  add(writer.end());
  return Buffer.concat(parts);
}

/** The sampled parquet read by pyarrow, where python3 has it (a reader other than the repo's own). */
function pyarrowCheck(file: string, columns: number): string {
  const code = 'import sys, pyarrow.parquet as pq; t = pq.read_table(sys.argv[1]); ' +
    'print(t.num_rows, t.num_columns, sum(t.column(i).null_count for i in range(t.num_columns)), ' +
    'sorted(set(str(f.type) for f in t.schema)))';
  const res = spawnSync('python3', ['-c', code, file], { encoding: 'utf8' });
  if (res.status !== 0) return `pyarrow read-back: not run (${(res.stderr || res.error?.message || '').trim().split('\n').at(-1)})`;
  return `pyarrow read-back of the .parquet: rows, columns, nulls, types = ${res.stdout.trim()} (expected ${SAMPLE_ROWS} ${columns} 0)`;
}

main(process.argv.includes('--quick')).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
