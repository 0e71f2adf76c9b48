import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';

/**
 * onnxruntime-node and onnxruntime-python by CPU time (what a loaded shared machine distorts least): `pairs` rounds,
 * each this process's three session.run variants then bench/score/ort_cpu.py's, `runs` batches of 4096 a variant, one
 * intra-op thread. Prints each round and the medians. Usage: npx tsx bench/score/ort-cpu-side-by-side.ts [model dir] [pairs] [runs]
 */
const VARIANTS = ['all', 'detect', 'detect_pre'] as const;
type Rates = Record<(typeof VARIANTS)[number], number>;

async function nodeRates(onnx: Uint8Array, f: number, runs: number): Promise<Rates> {
  const batch = 4096;
  const x = Float32Array.from({ length: batch * f }, (_, i) => Math.sin(i));
  const mask = new Float32Array(batch * f).fill(1);
  const s = await InferenceSession.create(onnx, {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
  });
  const feeds = { x: new Tensor('float32', x, [batch, f]), mask: new Tensor('float32', mask, [batch, f]) };
  const pre = {
    score: new Tensor('float32', new Float32Array(batch), [batch]),
    feature_error: new Tensor('float32', new Float32Array(batch * f), [batch, f]),
  };
  const calls: Record<keyof Rates, () => Promise<unknown>> = {
    all: () => s.run(feeds), detect: () => s.run(feeds, ['score', 'feature_error']), detect_pre: () => s.run(feeds, pre),
  };
  const out = {} as Rates;
  for (const v of VARIANTS) {
    for (let i = 0; i < 3; i++) await calls[v]();
    const t = process.cpuUsage();
    for (let i = 0; i < runs; i++) await calls[v]();
    const u = process.cpuUsage(t);
    out[v] = (batch * runs) / ((u.user + u.system) / 1e6);
  }
  await s.release();
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function main(): Promise<void> {
  const [dir = '.bench/model-dense-ae-140', pairs = '5', runs = '60'] = process.argv.slice(2);
  const onnx = readFileSync(join(dir, 'model.onnx'));
  const f = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { features: string[] }).features.length;
  const rounds: { node: Rates; py: Rates }[] = [];
  for (let i = 0; i < Number(pairs); i++) {
    const node = await nodeRates(onnx, f, Number(runs));
    const py = JSON.parse(execFileSync('python3', ['bench/score/ort_cpu.py', join(dir, 'model.onnx'), runs], {
      encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' },
    })) as Rates;
    rounds.push({ node, py });
    console.log(JSON.stringify({ round: i + 1, node, py }));
  }
  for (const v of VARIANTS) {
    const ratio = median(rounds.map((r) => r.node[v] / r.py[v]));
    const k = (side: 'node' | 'py') => Math.round(median(rounds.map((r) => r[side][v])) / 1000);
    console.log(`${v}: node ${k('node')} k, python ${k('py')} k rows/CPU s, node/python ${(100 * ratio).toFixed(0)} %`);
  }
}

void main();
