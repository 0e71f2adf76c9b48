/**
 * Issue 12 speed: `residual score` of a 1,000,000-row `timestamp,value` series on one core, in rows per CPU-second.
 *
 *   npx tsx bench/score/series-speed.ts [rows=1000000] [--prof] [--keep DIR] [--against ROOT [--rounds R]]
 *
 * Generates a series (ISO timestamps every 5 minutes, a 288-row cycle plus seeded noise), trains the default model
 * once on its first 750 rows (`residual train --data … --time-column timestamp`, no other flag: auto-series), then
 * runs `residual score --threads 1` as a child under /usr/bin/time and prints user + system CPU, wall, the
 * summary's model time, and rows per CPU-second. `--prof` adds `node --cpu-prof` and a breakdown of the main
 * thread's samples by file (onnxruntime = onnxruntime-node's backend). Speed depends on load: say so with the figure.
 *
 * `--against ROOT`: side by side with another checkout of the repository at ROOT (e.g. `git archive <commit> | tar -x
 * -C ROOT` plus a node_modules link): each checkout trains its own model on the same 750 rows with its own CLI, then
 * the two score the same series alternately, R rounds (default 2); prints CPU-s per run, the ratio of the medians, and
 * how many output lines and how many anomaly_score cells differ (`cmp`-style, whole lines).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
// the row count is the numeric argument that is not an option's value (`--rounds 2` is not 2 rows)
const valued = new Set(['--keep', '--against', '--rounds']);
const rows = Number(args.find((a, i) => /^\d+$/.test(a) && !valued.has(args[i - 1] ?? '')) ?? 1_000_000);
const prof = args.includes('--prof');
const keepAt = args.indexOf('--keep');
const againstAt = args.indexOf('--against');
const against = againstAt >= 0 ? resolve(args[againstAt + 1]!) : null;
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 2;
const dir = keepAt >= 0 ? resolve(args[keepAt + 1]!) : mkdtempSync(join(tmpdir(), 'series-speed-'));
mkdirSync(dir, { recursive: true });
const cli = resolve(__dirname, '../../bin/residual.js');

async function writeSeries(path: string, n: number): Promise<void> {
  const out = createWriteStream(path);
  let seed = 12345;
  const uniform = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const start = Date.UTC(2020, 0, 1);
  let chunk = 'timestamp,value\n';
  for (let i = 0; i < n; i++) {
    const noise = (uniform() + uniform() + uniform() - 1.5) * 0.8;
    const value = 10 + 3 * Math.sin((2 * Math.PI * i) / 288) + noise;
    chunk += `${new Date(start + i * 300_000).toISOString().slice(0, 19)},${value.toFixed(4)}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = '';
    }
  }
  out.end(chunk);
  await new Promise<void>((r) => out.once('finish', () => r()));
}

function timed(command: string[], env: NodeJS.ProcessEnv = process.env): { user: number; sys: number; wall: number } {
  const run = spawnSync('/usr/bin/time', ['-f', 'TIME %U %S %e', ...command], { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`${command.slice(0, 3).join(' ')} exited ${run.status}: ${run.stderr.slice(-2000)}`);
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+)/.exec(run.stderr);
  if (!m) throw new Error('no /usr/bin/time line');
  return { user: Number(m[1]), sys: Number(m[2]), wall: Number(m[3]) };
}

/** Main-thread samples of a .cpuprofile by file, in percent of all samples. */
function breakdown(profileDir: string): [string, number][] {
  const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'))!;
  const p = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as {
    nodes: { id: number; callFrame: { url: string; functionName: string } }[]; samples: number[]; timeDeltas: number[];
  };
  const label = (c: { url: string; functionName: string }) => (c.url ? c.url.split('/').slice(-2).join('/') : c.functionName);
  const where = new Map(p.nodes.map((n) => [n.id, label(n.callFrame)]));
  const by = new Map<string, number>();
  let total = 0;
  p.samples.forEach((s, i) => {
    const file = where.get(s)!;
    const key = file.includes('onnxruntime') || file === 'dist/backend.js' ? 'onnxruntime (session.run)' : file;
    by.set(key, (by.get(key) ?? 0) + p.timeDeltas[i]!);
    total += p.timeDeltas[i]!;
  });
  return [...by.entries()].map(([k, v]) => [k, (100 * v) / total] as [string, number]).sort((a, b) => b[1] - a[1]).slice(0, 15);
}

/** Lines that differ between two outputs, and anomaly_score cells (the third column) that differ. */
function differences(a: string, b: string): { lines: number; scores: number } {
  const x = readFileSync(a, 'utf8').split('\n');
  const y = readFileSync(b, 'utf8').split('\n');
  let lines = Math.abs(x.length - y.length);
  let scores = 0;
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue;
    lines++;
    if (x[i]!.split(',')[2] !== y[i]!.split(',')[2]) scores++;
  }
  return { lines, scores };
}

async function sideBySide(series: string, train: string, other: string): Promise<void> {
  const clis = { this: cli, other: join(other, 'bin/residual.js') };
  for (const [name, path] of Object.entries(clis)) {
    timed(['node', path, 'train', '--data', train, '--time-column', 'timestamp', '--out', join(dir, `model-${name}`)]);
  }
  const cpu: Record<string, number[]> = { this: [], other: [] };
  for (let r = 0; r < rounds; r++) {
    for (const name of r % 2 ? ['this', 'other'] : ['other', 'this']) {
      const output = join(dir, `scored-${name}.csv`);
      const model = join(dir, `model-${name}`);
      const s = timed(['node', clis[name as 'this'], 'score', '--model', model, '--input', series, '--output', output, '--threads', '1']);
      cpu[name]!.push(s.user + s.sys);
      const parts = `${s.user.toFixed(2)} user + ${s.sys.toFixed(2)} system`;
      console.log(`round ${r + 1} ${name.padEnd(5)} ${(s.user + s.sys).toFixed(2)} CPU-s (${parts}), ${s.wall.toFixed(1)} s wall`);
    }
  }
  const median = (v: number[]): number => {
    const o = [...v].sort((p, q) => p - q);
    const h = Math.floor(o.length / 2);
    return o.length % 2 ? o[h]! : (o[h - 1]! + o[h]!) / 2;
  };
  const [a, b] = [median(cpu['this']!), median(cpu['other']!)];
  console.log(`median CPU-s: this ${a.toFixed(2)} (${(rows / a / 1e6).toFixed(3)} M rows per CPU-s), other ${b.toFixed(2)} ` +
    `(${(rows / b / 1e6).toFixed(3)}); this / other = ${(a / b).toFixed(3)}`);
  const d = differences(join(dir, 'scored-this.csv'), join(dir, 'scored-other.csv'));
  console.log(`outputs: ${d.lines} lines differ, ${d.scores} of them in anomaly_score`);
}

async function main(): Promise<void> {
  const series = join(dir, 'series.csv');
  const train = join(dir, 'train.csv');
  await writeSeries(series, rows);
  await writeSeries(train, 750);
  if (against) {
    await sideBySide(series, train, against);
    console.log(`files in ${dir}`);
    return;
  }
  const model = join(dir, 'model');
  const t = timed(['node', cli, 'train', '--data', train, '--time-column', 'timestamp', '--out', model]);
  console.log(`trained on 750 rows: ${t.user.toFixed(1)} s user CPU`);
  const profDir = join(dir, 'prof');
  const node = prof ? ['node', '--cpu-prof', `--cpu-prof-dir=${profDir}`] : ['node'];
  const output = join(dir, 'scored.csv');
  const s = timed([...node, cli, 'score', '--model', model, '--input', series, '--output', output, '--threads', '1']);
  type Summary = { rows_out: number; timings: { total_ms: number; model_ms: number } };
  const summary = JSON.parse(readFileSync(`${output}.summary.json`, 'utf8')) as Summary;
  const cpu = s.user + s.sys;
  console.log(`scored ${summary.rows_out} rows: ${s.user.toFixed(2)} s user + ${s.sys.toFixed(2)} s system CPU`);
  console.log(`  ${s.wall.toFixed(2)} s wall`);
  console.log(`  summary: total ${summary.timings.total_ms} ms, model (session.run) ${summary.timings.model_ms} ms`);
  const perWall = (summary.rows_out / s.wall / 1e6).toFixed(3);
  console.log(`  ${(summary.rows_out / cpu / 1e6).toFixed(3)} million rows per CPU-second (${perWall} per wall second)`);
  if (prof) for (const [k, v] of breakdown(profDir)) console.log(`  ${v.toFixed(1).padStart(5)} %  ${k}`);
  console.log(`files in ${dir}`);
}

void main();
