// onnxruntime-node and onnxruntime-python on the same model, 1 intra-op thread, batch 4096, with glibc's default malloc
// thresholds and with fixed ones (GLIBC_TUNABLES, read at process start, so every measure is its own child process):
// onnxruntime-node copies each fetched output into a new ArrayBuffer, and with the dynamic thresholds the freed copies go
// back to the kernel and fault in again on the next runs (BENCHMARKS.md, "onnxruntime-node beside onnxruntime-python").
// Rounds take turns: node default, python default, node tuned, python tuned. Each child reports CPU ms per session.run
// (user + system, all threads) and minor page faults per run. Rerun:
//   npx tsx bench/score/ort-malloc-side-by-side.ts [model dir] [rounds] [runs]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';

const BATCH = 4096;
/** blocks below 8 MiB from the heap, up to 32 MiB of free heap top kept per arena (dynamic thresholds off) */
const SCORING_GLIBC_TUNABLES = 'glibc.malloc.mmap_threshold=8388608:glibc.malloc.trim_threshold=33554432';
const CALLS = { all: null, detect: ['score', 'feature_error'], score: ['score'] } as const;
type Call = keyof typeof CALLS;
type Measure = Record<Call, { ms: number; faults: number }>;

const minflt = () => Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[7]);

async function nodeChild(model: string, runs: number): Promise<Measure> {
  const s = await InferenceSession.create(model, {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
  });
  const input = s.inputMetadata[0]!;
  const f = input.isTensor ? Number(input.shape[1]) : 0;
  const x = Float32Array.from({ length: BATCH * f }, (_, i) => Math.sin(i));
  const feeds = { x: new Tensor('float32', x, [BATCH, f]), mask: new Tensor('float32', new Float32Array(BATCH * f).fill(1), [BATCH, f]) };
  const out = {} as Measure;
  for (const [call, names] of Object.entries(CALLS) as [Call, readonly string[] | null][]) {
    const run = () => (names ? s.run(feeds, [...names]) : s.run(feeds));
    for (let i = 0; i < 5; i++) await run();
    const t = process.cpuUsage();
    const p = minflt();
    for (let i = 0; i < runs; i++) await run();
    const u = process.cpuUsage(t);
    out[call] = { ms: (u.user + u.system) / 1000 / runs, faults: (minflt() - p) / runs };
  }
  return out;
}

const PYTHON = `
import json, sys, time
import numpy as np, onnxruntime as ort
o = ort.SessionOptions(); o.intra_op_num_threads = 1; o.inter_op_num_threads = 1
s = ort.InferenceSession(sys.argv[1], o, providers=['CPUExecutionProvider'])
runs, b = int(sys.argv[2]), ${BATCH}
f = s.get_inputs()[0].shape[1]
x = np.sin(np.arange(b * f, dtype=np.float64)).astype(np.float32).reshape(b, f)
feeds = {'x': x, 'mask': np.ones_like(x)}
flt = lambda: int(open('/proc/self/stat').read().split(') ')[1].split(' ')[7])
out = {}
for call, names in [('all', None), ('detect', ['score', 'feature_error']), ('score', ['score'])]:
    for _ in range(5): s.run(names, feeds)
    c, p = time.process_time(), flt()
    for _ in range(runs): s.run(names, feeds)
    out[call] = {'ms': (time.process_time() - c) * 1000 / runs, 'faults': (flt() - p) / runs}
print(json.dumps(out))`;

function child(side: 'node' | 'python', model: string, runs: number, tuned: boolean): Measure {
  const env = { ...process.env, OMP_NUM_THREADS: '1', GLIBC_TUNABLES: tuned ? SCORING_GLIBC_TUNABLES : '' };
  const [cmd, args] = side === 'node'
    ? [process.execPath, [...process.execArgv, __filename, '--child', model, String(runs)]]
    : ['python3', ['-c', PYTHON, model, String(runs)]];
  return JSON.parse(execFileSync(cmd, args, { encoding: 'utf8', env }).trim().split('\n').at(-1)!) as Measure;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    console.log(JSON.stringify(await nodeChild(process.argv[3]!, Number(process.argv[4]))));
    return;
  }
  const [dir = '.bench/model-dense-ae-140', rounds = '5', runs = '150'] = process.argv.slice(2);
  const model = join(dir, 'model.onnx');
  const arms = [false, true].flatMap((tuned) => (['node', 'python'] as const).map((side) => ({ side, tuned })));
  const seen = arms.map(() => [] as Measure[]);
  for (let r = 0; r < Number(rounds); r++) {
    arms.forEach((a, i) => seen[i]!.push(child(a.side, model, Number(runs), a.tuned)));
    process.stderr.write(`round ${r + 1} done\n`);
  }
  console.log(`${model}, batch ${BATCH}, 1 thread, ${rounds} rounds × ${runs} runs; tuned: GLIBC_TUNABLES=${SCORING_GLIBC_TUNABLES}`);
  console.log('| call | malloc | node CPU ms/run | python CPU ms/run | node / python rows per CPU s, pairwise median (range) '
    + '| minor faults/run node / python |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const call of Object.keys(CALLS) as Call[]) {
    for (const tuned of [false, true]) {
      const n = seen[arms.findIndex((a) => a.side === 'node' && a.tuned === tuned)]!.map((m) => m[call]);
      const p = seen[arms.findIndex((a) => a.side === 'python' && a.tuned === tuned)]!.map((m) => m[call]);
      const ratios = n.map((m, i) => p[i]!.ms / m.ms);
      const pct = (v: number) => `${(100 * v).toFixed(0)} %`;
      const ms = (xs: { ms: number }[]) => median(xs.map((m) => m.ms)).toFixed(2);
      console.log(`| ${call} | ${tuned ? 'tuned' : 'default'} | ${ms(n)} | ${ms(p)} `
        + `| ${pct(median(ratios))} (${pct(Math.min(...ratios))}–${pct(Math.max(...ratios))}) `
        + `| ${median(n.map((m) => m.faults)).toFixed(0)} / ${median(p.map((m) => m.faults)).toFixed(0)} |`);
    }
  }
}

void main();
