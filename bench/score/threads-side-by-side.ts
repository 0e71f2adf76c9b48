// `residual score --threads A` against `--threads B` on the same CSV and model, whole processes through bin/residual.js
// in turn (A B A B …), pinned to the same CPUs, each under /usr/bin/time: wall, CPU (user + system of all threads) and
// peak RSS, ratios pair by pair, the load average beside them (the machine is shared). Outputs are compared byte for
// byte. Rerun: npx tsx bench/score/threads-side-by-side.ts [--model .bench/model-dense-ae-140]
//   [--input .bench/parse-100000x140.csv] [--pairs 3] [--threads 2,1] [--cpus 0,1] [--env NAME=VALUE (A only)]
//   [--b-bin <another checkout>/bin/residual.js (B only: that code against this one)]
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

interface Run {
  wall: number;
  cpu: number;
  rssMiB: number;
  load: number;
}

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: '.bench/model-dense-ae-140' },
    input: { type: 'string', default: '.bench/parse-100000x140.csv' },
    pairs: { type: 'string', default: '3' },
    threads: { type: 'string', default: '2,1' },
    cpus: { type: 'string', default: '0,1' },
    env: { type: 'string', multiple: true, default: [] },
    'b-bin': { type: 'string' },
  },
});
const [a, b] = args.threads.split(',').map(Number) as [number, number];
const extraEnv = Object.fromEntries(args.env.map((e) => e.split('=', 2) as [string, string]));
const BIN = resolve(__dirname, '../../bin/residual.js');
const BIN_B = args['b-bin'] ? resolve(args['b-bin']) : BIN;
const out = (run: 'a' | 'b') => join(tmpdir(), `threads-side-by-side-${process.pid}-${run}.csv`);

function score(run: 'a' | 'b', threads: number, env: Record<string, string>): Run {
  const load = loadavg()[0]!;
  const bin = run === 'a' ? BIN : BIN_B;
  const argv = ['-f', '%e %U %S %M', 'taskset', '-c', args.cpus, process.execPath, bin, 'score', '-m', args.model, '-i', args.input,
    '-o', out(run), '--threads', String(threads), '-q'];
  const r = spawnSync('/usr/bin/time', argv, { encoding: 'utf8', env: { ...process.env, ...env } });
  const last = r.stderr.trim().split('\n').at(-1)!;
  if (r.status !== 0) throw new Error(`--threads ${threads} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const [wall, user, sys, rssKb] = last.split(' ').map(Number) as [number, number, number, number];
  return { wall, cpu: user + sys, rssMiB: rssKb / 1024, load };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const f = (x: number, d = 2) => x.toFixed(d);

const runsA: Run[] = [];
const runsB: Run[] = [];
process.stderr.write(`warm-up (bundle cache, page cache), load ${f(loadavg()[0]!)}\n`);
score('a', a, extraEnv);
score('b', b, {});
for (let i = 0; i < Number(args.pairs); i++) {
  runsA.push(score('a', a, extraEnv));
  runsB.push(score('b', b, {}));
  const same = readFileSync(out('a')).equals(readFileSync(out('b')));
  if (!same) throw new Error(`pair ${i + 1}: --threads ${a} and --threads ${b} wrote different bytes`);
  const [ra, rb] = [runsA.at(-1)!, runsB.at(-1)!];
  process.stderr.write(`pair ${i + 1}: A ${f(ra.cpu)} s CPU ${f(ra.wall)} s wall, B ${f(rb.cpu)} s CPU ${f(rb.wall)} s wall, `
    + `load ${f(ra.load, 1)}/${f(rb.load, 1)}, output identical\n`);
}
for (const run of ['a', 'b'] as const) rmSync(out(run), { force: true });
const ratios = (g: (r: Run) => number) => runsA.map((r, i) => g(r) / g(runsB[i]!));
const row = (name: string, runs: Run[]) =>
  `| ${name} | ${f(median(runs.map((r) => r.cpu)))} s | ${f(median(runs.map((r) => r.wall)))} s `
  + `| ${f(median(runs.map((r) => r.rssMiB)), 0)} MiB |`;
const wallRatios = ratios((r) => r.wall);
const cpuRatios = ratios((r) => r.cpu);
const loads = [...runsA, ...runsB].map((r) => r.load);
console.log(`input ${args.input}, model ${args.model}, taskset -c ${args.cpus}, ${runsA.length} pairs after a warm-up`
  + `${args.env.length ? `, A with ${args.env.join(' ')}` : ''}${BIN_B !== BIN ? `, B: ${BIN_B}` : ''}; `
  + `load average (1 min) ${f(Math.min(...loads), 1)}–${f(Math.max(...loads), 1)}`);
console.log('| run | CPU (median) | wall (median) | peak RSS |');
console.log('| --- | --- | --- | --- |');
console.log(row(`A: --threads ${a}`, runsA));
console.log(row(`B: --threads ${b}`, runsB));
console.log(`speed-up B/A wall: ${f(1 / median(wallRatios))}× (pairs ${wallRatios.map((x) => f(1 / x)).join(', ')}); `
  + `A/B CPU: ${f(median(cpuRatios))}× (pairs ${cpuRatios.map((x) => f(x)).join(', ')})`);
